from django.urls import reverse
from rest_framework import serializers


class ServiceWaitOutput(serializers.Serializer):
    slug = serializers.CharField(source="service.slug")
    name = serializers.CharField(source="service.name")
    description = serializers.CharField(source="service.description")
    letter = serializers.CharField(source="service.letter")
    open = serializers.BooleanField(source="is_open")
    waiting = serializers.IntegerField()
    open_counters = serializers.IntegerField()
    estimated_wait_minutes = serializers.IntegerField(source="estimate", allow_null=True,
                                                      help_text="For a ticket taken now; null with no open counter")


class TicketInput(serializers.Serializer):
    service = serializers.SlugField(max_length=60)
    channel = serializers.ChoiceField(choices=["online", "kiosk", "reception"], default="online")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    lead_minutes = serializers.IntegerField(min_value=1, max_value=180, required=False, default=15)


class TicketStatusOutput(serializers.Serializer):
    """A ticket's public face: never its contact details."""

    number = serializers.CharField(source="ticket.number")
    service = serializers.CharField(source="ticket.service.slug")
    service_name = serializers.CharField(source="ticket.service.name")
    state = serializers.CharField(source="ticket.state")
    position = serializers.IntegerField(help_text="1 = next; 0 when no longer waiting")
    estimated_wait_minutes = serializers.IntegerField(source="estimate", allow_null=True)
    counter = serializers.SerializerMethodField()
    notify_error = serializers.CharField(source="ticket.notify_error")

    def get_counter(self, status) -> int | None:
        ticket = status.ticket
        return ticket.counter.number if ticket.state == "called" and ticket.counter_id else None


class TakenTicketOutput(TicketStatusOutput):
    token = serializers.CharField(source="ticket.token", help_text="The ticket's private key: keep it")
    url = serializers.SerializerMethodField()

    def get_url(self, status) -> str:
        return reverse("accueil:ticket", args=[status.ticket.token])


class CalledOutput(serializers.Serializer):
    number = serializers.CharField()
    counter = serializers.IntegerField()
    service = serializers.CharField()
    announced_at = serializers.DateTimeField(allow_null=True)


class ScreenServiceOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()
    estimated_wait_minutes = serializers.IntegerField(allow_null=True)
    open = serializers.BooleanField()


class ScreenOutput(serializers.Serializer):
    mairie = serializers.CharField()
    updated_at = serializers.DateTimeField()
    called = CalledOutput(many=True)
    services = ScreenServiceOutput(many=True)


class CounterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    service = serializers.CharField(source="service.slug")
    is_open = serializers.BooleanField()
    called = serializers.SerializerMethodField()

    def get_called(self, counter) -> dict | None:
        ticket = getattr(counter, "current", None)
        return {"id": ticket.pk, "number": ticket.number} if ticket else None


class CounterActionInput(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1, max_value=2**62, required=False,
                                      help_text="The ticket the action is about (default: the one called here)")


class TransferInput(CounterActionInput):
    service = serializers.SlugField(max_length=60)


class CounterTicketOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()
    service = serializers.CharField(source="service.slug")
    counter = serializers.IntegerField(source="counter.number", allow_null=True, default=None)
