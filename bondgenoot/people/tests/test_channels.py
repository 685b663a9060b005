"""One channel vocabulary: every model that stores a channel uses people.channels."""

import importlib

from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from bondgenoot.contacts.models import Contact
from bondgenoot.meetings.models import Invitation
from bondgenoot.messaging.models import Delivery
from bondgenoot.people.channels import PREFERRED_CHANNELS, Channel
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase

migration = importlib.import_module("bondgenoot.people.migrations.0005_preferred_channel_talk")


class ChannelVocabularyTest(SimpleTestCase):
    def test_it_stores_only_values_of_the_one_enum(self):
        for model, field in ((Contact, "channel"), (Delivery, "channel"), (Invitation, "how")):
            with self.subTest(model=model.__name__):
                values = {value for value, _ in model._meta.get_field(field).choices}
                self.assertLessEqual(values, set(Channel.values))

    def test_it_labels_a_channel_the_same_everywhere(self):
        labels = dict(Channel.choices)
        for model, field in ((Contact, "channel"), (Delivery, "channel"), (Invitation, "how")):
            for value, label in model._meta.get_field(field).choices:
                self.assertEqual(str(label), str(labels[value]))

    def test_it_lets_a_parent_prefer_a_talk_at_school(self):
        # The ledger's "talk" and a guardian's preference are the same value now.
        Guardian(last_name="Jansen", preferred_channels=[Channel.TALK, "phone"]).clean()
        self.assertIn(Channel.TALK, PREFERRED_CHANNELS)
        with self.assertRaises(ValidationError):
            Guardian(last_name="Jansen", preferred_channels=["at_school"]).clean()


class PreferredChannelMigrationTest(BaseTestCase):
    def test_it_renames_at_school_to_talk(self):
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        Guardian.objects.filter(pk=guardian.pk).update(
            preferred_channels=["at_school", "phone", "talk"]
        )
        migration.forwards(apps, None)
        guardian.refresh_from_db()
        self.assertEqual(guardian.preferred_channels, ["talk", "phone"])
        migration.backwards(apps, None)
        guardian.refresh_from_db()
        self.assertEqual(guardian.preferred_channels, ["at_school", "phone"])
