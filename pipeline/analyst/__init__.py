"""Rules QA analysts write themselves, in YAML: the language (``language``), its operators
(``conditions``), the detector family that runs them (``detector``), and the dry run that shows
what a rule file would flag before it goes live (``trial``)."""
