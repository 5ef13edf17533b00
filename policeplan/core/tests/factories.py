from __future__ import annotations

import factory

from policeplan.core.models import Office, OfficeKind, User
from policeplan.core.roles import Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.POLICY_OFFICER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = "Kent Police and Crime Commissioner"
    short_name = "Kent PCC"
    kind = OfficeKind.PCC
    force_area = "Kent"
    force_name = "Kent Police"
