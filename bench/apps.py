from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's data generator and bare view: never installed in production (bench/settings.py)."""

    name = "bench"
    verbose_name = "Benchmark"
