"""What people write and send: the text normalisation, the safe Markdown subset, uploaded files."""
