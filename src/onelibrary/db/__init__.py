"""Database backends: Django's own, with what OneLibrary needs of them."""
