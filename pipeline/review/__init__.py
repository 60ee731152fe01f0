"""The reviewer console: a web app over the scan database, and its queries."""
