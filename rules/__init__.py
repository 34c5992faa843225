"""The built-in rules: one YAML file per rule.  This file only makes the folder ship inside the package."""
