"""`manage.py create_editor USERNAME`: an admin login in the Editors group."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS = "Editors"


class Command(BaseCommand):
    help = (
        "Create (or promote) an editor: staff status plus the Editors group. The password is "
        "read from PLEDGEWATCH_EDITOR_PASSWORD or asked for."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options) -> None:
        try:
            group = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist as exc:
            raise CommandError("The Editors group is missing: run `manage.py migrate`.") from exc
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        password = None
        if user is None:
            password = os.environ.get("PLEDGEWATCH_EDITOR_PASSWORD") or self._ask_password()
            candidate = user_model(username=username, email=email)
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            if user is None:
                user = user_model.objects.create_user(username, email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)
        self.stdout.write(f"{username} is an editor; log in at /admin/.")

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first
