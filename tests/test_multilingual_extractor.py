"""The multilingual backend, one grammar case per test, on sentences written for the tests."""

from __future__ import annotations

import time

import pytest

from ingest.extractor import default_gazetteer, load_backend
from ingest.extractor.multilingual import MultilingualExtractor
from ingest.extractor.multilingual.language import detect_language


@pytest.fixture(scope="module")
def gazetteer():
    return default_gazetteer()


def rows(text: str, gazetteer) -> set[tuple[str, str, str]]:
    return {
        (c.nation, c.type, c.stance)
        for c in MultilingualExtractor().extract(text, gazetteer).candidates
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The minister said that the government will send more help to the front.", "en"),
        (
            "Le ministre a dit que le gouvernement enverra des soldats dans les prochains mois.",
            "fr",
        ),
        (
            "Die Regierung hat angekündigt, dass sie weitere Panzer an die Front schicken wird.",
            "de",
        ),
        ("Il governo ha detto che non invierà truppe, ma che sosterrà la missione.", "it"),
        ("El gobierno dijo que enviará más ayuda para los soldados en el frente.", "es"),
        ("Rząd powiedział, że nie wyśle żołnierzy, ale jest gotowy do szkolenia.", "pl"),
    ],
)
def test_the_language_is_told_from_its_common_words(text, language):
    assert detect_language(text) == language


def test_a_deed_is_a_commitment(gazetteer):
    text = "Denmark delivered a second batch of artillery shells to Ukraine last week."
    assert rows(text, gazetteer) == {("DK", "equipment", "committed")}


def test_money_for_weapons_is_financing(gazetteer):
    text = "Finland put 40 million euros into the joint fund that buys ammunition for Ukraine."
    assert rows(text, gazetteer) == {("FI", "financing", "committed")}


def test_a_refusal_with_its_scope_keeps_the_other_offer(gazetteer):
    text = "Slovenia will not send soldiers to Ukraine, but is ready to train Ukrainian medics."
    assert rows(text, gazetteer) == {("SI", "troops", "declined"), ("SI", "training", "open")}


def test_every_nation_of_a_list_subject_pledges(gazetteer):
    text = "Latvia, Lithuania and Estonia have imposed new sanctions on Russian shipping firms."
    assert rows(text, gazetteer) == {
        ("LV", "sanctions", "committed"),
        ("LT", "sanctions", "committed"),
        ("EE", "sanctions", "committed"),
    }


def test_a_named_condition_makes_the_pledge_conditional(gazetteer):
    text = (
        "Ireland would send peacekeepers to Ukraine only if the UN Security Council gave a mandate."
    )
    (candidate,) = MultilingualExtractor().extract(text, gazetteer).candidates
    assert (candidate.nation, candidate.type, candidate.stance) == ("IE", "troops", "conditional")
    assert candidate.conditions


def test_a_ceasefire_alone_is_no_condition(gazetteer):
    text = "Belgium could deploy soldiers to Ukraine only once a ceasefire holds."
    assert rows(text, gazetteer) == {("BE", "troops", "open")}


def test_a_pledge_to_another_theatre_is_no_row(gazetteer):
    text = "Ukraine was not on the agenda. Morocco pledged troops for the Gaza stabilisation force."
    assert rows(text, gazetteer) == set()


def test_sanctions_on_another_state_are_no_row(gazetteer):
    text = "Kyiv watched closely. Japan imposed sanctions on North Korean hackers on Friday."
    assert rows(text, gazetteer) == set()


def test_kit_handed_to_a_third_country_is_no_row(gazetteer):
    text = "Ukraine needs air defence. Germany delivered radars to the Philippines in March."
    assert rows(text, gazetteer) == set()


def test_a_demonym_names_an_actor_only_beside_an_actor_noun(gazetteer):
    text = "Ukraine welcomed Swedish jets, while the Swedish press doubted they would come soon."
    assert {row[0] for row in rows(text, gazetteer)} <= {"SE"}
    text = "Portuguese instructors will train Ukrainian pilots next spring."
    assert rows(text, gazetteer) == {("PT", "training", "committed")}


def test_a_hope_or_a_demand_states_no_pledge(gazetteer):
    text = "Kyiv urged Austria to send mine-clearing teams to Ukraine."
    assert rows(text, gazetteer) == set()


def test_not_ruling_out_is_open(gazetteer):
    text = "Croatia did not rule out sending a naval vessel to help demine Ukraine's ports."
    assert ("HR", "sea", "open") in rows(text, gazetteer)


def test_the_protected_country_and_the_aggressor_never_pledge(gazetteer):
    text = "Russia will send more troops, and Ukraine will deploy new brigades to the front."
    assert rows(text, gazetteer) == set()


def test_a_plan_runner_is_not_a_pledger(gazetteer):
    text = "Latvia is ready to send soldiers to Ukraine under the plan led by France and Britain."
    assert rows(text, gazetteer) == {("LV", "troops", "open")}


def test_a_general_pledge_yields_to_a_specific_one(gazetteer):
    text = (
        "Norway will contribute to the security guarantees for Ukraine. "
        "Norway will also train Ukrainian soldiers."
    )
    assert rows(text, gazetteer) == {("NO", "training", "committed")}


def test_a_condition_stated_apart_holds_for_the_nation(gazetteer):
    text = (
        "Lithuania is prepared to send a company of soldiers to Ukraine. "
        "Before any deployment, Lithuania will seek a mandate from its parliament."
    )
    assert rows(text, gazetteer) == {("LT", "troops", "conditional")}


def test_members_named_after_the_pledge_carry_it_on(gazetteer):
    text = (
        "Five countries will deliver F-16 jets to Ukraine this year. "
        "These are Belgium, Denmark, Norway and the Netherlands."
    )
    assert {row for row in rows(text, gazetteer) if row[1] == "equipment"} >= {
        ("BE", "equipment", "committed"),
        ("NL", "equipment", "committed"),
    }


def test_french(gazetteer):
    text = "La Suède est prête à envoyer des frégates en mer Noire pour protéger l'Ukraine."
    assert rows(text, gazetteer) == {("SE", "sea", "open")}
    text = "Le Portugal n'enverra en aucun cas de soldats en Ukraine."
    assert rows(text, gazetteer) == {("PT", "troops", "declined")}


def test_german(gazetteer):
    text = "Österreich wird der Ukraine weitere Munition liefern, teilte die Regierung mit."
    assert rows(text, gazetteer) == {("AT", "equipment", "committed")}
    text = "Dänemark schließt die Entsendung von Soldaten in die Ukraine aus."
    assert rows(text, gazetteer) == {("DK", "troops", "declined")}


def test_italian_spanish_polish_dutch(gazetteer):
    assert rows("La Grecia è pronta a inviare istruttori in Ucraina.", gazetteer) == {
        ("GR", "training", "open")
    }
    assert rows("Portugal no enviará tropas a Ucrania.", gazetteer) == {
        ("PT", "troops", "declined")
    }
    assert ("CZ", "troops", "declined") in rows("Czechy nie wyślą żołnierzy na Ukrainę.", gazetteer)
    assert rows("België is bereid soldaten naar Oekraïne te sturen.", gazetteer) == {
        ("BE", "troops", "open")
    }


def test_an_editors_type_is_learned_from_its_signals(gazetteer):
    from ingest.extractor import Gazetteer, PledgeTypeEntry

    custom = Gazetteer(
        nations=gazetteer.nations,
        leaders=gazetteer.leaders,
        pledge_types=(
            *gazetteer.pledge_types,
            PledgeTypeEntry("cyber", "Cyber defence", "", ("cyber defence",)),
        ),
    )
    text = "Estonia will provide cyber defence to Ukraine's power grid."
    assert ("EE", "cyber", "committed") in rows(text, custom)


def test_the_evidence_is_the_sentence_and_the_leader_is_linked(gazetteer):
    text = (
        "Leaders met in Paris.\n"
        "Italian Prime Minister Giorgia Meloni said Italy would not send troops to Ukraine."
    )
    (candidate,) = MultilingualExtractor().extract(text, gazetteer).candidates
    assert candidate.evidence == text.splitlines()[1]
    assert candidate.leader == "Giorgia Meloni"
    assert text[candidate.evidence_start : candidate.evidence_end] == candidate.evidence


def test_it_is_selectable_by_its_dotted_path():
    backend = load_backend("ingest.extractor.multilingual.MultilingualExtractor")
    assert isinstance(backend, MultilingualExtractor)


def test_time_stays_linear_in_the_text(gazetteer):
    # A generous ceiling: it fails only if the work per sentence grows with the text again.
    text = "France will send troops to Ukraine. " * 20000
    began = time.perf_counter()
    MultilingualExtractor().extract(text, gazetteer)
    assert time.perf_counter() - began < 60
