from django.apps import AppConfig


class FranceConnectConfig(AppConfig):
    name = "cms.franceconnect"
    label = "franceconnect"
    verbose_name = "FranceConnect"
