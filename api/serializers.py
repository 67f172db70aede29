"""What the API shows of each row: what the public pages show, and nothing more.

Never shown: a source's stored text and fingerprint, extraction and review state, aliases and
signals (the extractor's word lists), history and so editors' names; quotes only when the
public pages show them (pledges.selectors.public_quotes).
"""

from __future__ import annotations

from rest_framework import serializers

from pledges.models import Bloc, Condition, Leader, Nation, Pledge, PledgeType, Quote, Source


class BlocSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bloc
        fields = ["slug", "name"]


class NationSerializer(serializers.ModelSerializer):
    blocs = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of the nation's blocs."
    )

    class Meta:
        model = Nation
        fields = ["iso2", "iso3", "name", "capital", "blocs"]


class LeaderSerializer(serializers.ModelSerializer):
    nation = serializers.SlugRelatedField(
        slug_field="iso2", read_only=True, help_text="ISO 3166-1 alpha-2 code."
    )

    class Meta:
        model = Leader
        fields = ["id", "name", "nation", "office", "in_office_from", "in_office_to"]


class PledgeTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PledgeType
        fields = ["slug", "name", "description", "order"]


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Condition
        fields = ["id", "name", "status"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "outlet", "title", "published_on"]


class QuoteSerializer(serializers.ModelSerializer):
    nation = serializers.SlugRelatedField(
        slug_field="iso2",
        read_only=True,
        allow_null=True,
        help_text="Whose side the speaker speaks for.",
    )

    class Meta:
        model = Quote
        fields = ["id", "text", "leader", "speaker_role", "nation", "source", "said_on"]

    def to_representation(self, instance: Quote) -> dict:
        data = super().to_representation(instance)
        if instance.leader_id:
            # The pages name the leader then, not the role an article gave them.
            data["speaker_role"] = ""
        return data


def _ids(help_text: str) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text=help_text)


class PledgeSerializer(serializers.ModelSerializer):
    nation = serializers.SlugRelatedField(
        slug_field="iso2", read_only=True, help_text="ISO 3166-1 alpha-2 code."
    )
    type = serializers.SlugRelatedField(
        source="pledge_type", slug_field="slug", read_only=True, help_text="Pledge type slug."
    )
    conditions = _ids("Ids of its conditions (/api/v1/conditions/).")
    sources = _ids("Ids of its sources (/api/v1/sources/).")
    quotes = _ids("Ids of the quotes it cites (/api/v1/quotes/).")

    class Meta:
        model = Pledge
        fields = [
            "id",
            "nation",
            "type",
            "stance",
            "formality",
            "announced_on",
            "leader",
            "summary",
            "conditions",
            "sources",
            "quotes",
            "updated_at",
        ]


class MatrixCellSerializer(PledgeSerializer):
    """A cell of the matrix: the nation's latest pledge of this type as of the date asked."""

    source_count = serializers.IntegerField(read_only=True)

    class Meta(PledgeSerializer.Meta):
        fields = [*PledgeSerializer.Meta.fields, "source_count"]
