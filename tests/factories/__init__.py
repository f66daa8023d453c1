"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth.models import Group

from cms import roles
from cms.models import User

PASSWORD = "un-mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: f"Personne {u.username}")
    email_confirmed = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            self.is_staff = any(r != roles.RESIDENTS for r in extracted)
        if create:
            self.save()


def resident(mairie, **kwargs):
    return UserFactory(mairie=mairie, roles=[roles.RESIDENTS], **kwargs)


def agent(mairie, **kwargs):
    return UserFactory(mairie=mairie, roles=[roles.AGENTS], **kwargs)


def editor(mairie, **kwargs):
    return UserFactory(mairie=mairie, roles=[roles.EDITORS], **kwargs)


def organiser(mairie, **kwargs):
    return UserFactory(mairie=mairie, roles=[roles.ORGANISERS], **kwargs)
