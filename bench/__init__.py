"""The benchmark harness (run.py and its scripts) and the `bench` Django app, installed by the bench
settings only (bench/settings.py): the scaled data set's generator (`manage.py seed_scale`,
bench/bulk.py) and the bare view the figures are compared with (bench/urls.py)."""
