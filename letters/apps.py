from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters"

    def ready(self):
        from letters.services import letters_for_transition
        from rjcases.services import register_after_transition

        # Each transition's service stores the letters it calls for, inside its own transaction.
        register_after_transition(letters_for_transition)
