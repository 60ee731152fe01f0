"""What reviewers read, shared by the console, the exports and the self-check report."""
