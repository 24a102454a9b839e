"""Text screening in pure Python: readability scores and personal identifiers.

No Django models and no settings are read here, so every layer above (practices, the pillar
apps, the studio) may call it: ``readability.assess(text)`` and ``identifiers.find(text)``.
"""
