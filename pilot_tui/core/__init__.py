"""The pure core: bank and assessment models, scoring and rendering. No I/O, no Textual."""
