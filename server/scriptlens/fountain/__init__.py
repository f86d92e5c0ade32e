"""The Fountain core: parsing, the script model, open documents, screen time and text reading."""
