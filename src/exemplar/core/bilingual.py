from django.utils.translation import get_language


class Bilingual:
    """Shows ``name_en`` on English pages when it is set, ``name`` otherwise."""

    name: str
    name_en: str

    @property
    def display_name(self) -> str:
        lang = get_language() or ""
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name
