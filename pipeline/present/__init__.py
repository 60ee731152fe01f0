"""What a reviewer sees, shared by the console, the exports and the self-check report."""
