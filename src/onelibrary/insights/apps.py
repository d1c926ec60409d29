from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "onelibrary.insights"

    def ready(self) -> None:
        from onelibrary.holds.signals import lending_counts
        from onelibrary.insights.figures import answer_lending_counts

        # Routing's load term counts lent and borrowed items from the same figures as the
        # reports (docs/insights.md, "Net lending").
        lending_counts.connect(answer_lending_counts, dispatch_uid="insights-lending-counts")
