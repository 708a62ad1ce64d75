"""Offline translation: sentence splitting, Argos packages, batched CTranslate2, a sentence cache, the service."""
