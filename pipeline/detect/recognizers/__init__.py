"""One small recognizer per file, one file per detector family the category table names
(``lexicons/categories.yaml``: families). Each follows the contract of ``detect/base.py``."""
