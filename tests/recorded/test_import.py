"""The police import: a good file, a re-import (updates, never duplicates), bad rows (nothing imported, each
listed by line and reason), --skip-invalid, the postcode-to-ward list, and a police record linked to a later
RJ referral (and a referral to a later police record) counted once."""

from datetime import date, time

import pytest
from django.core.management import CommandError, call_command

from recorded import counts, layout
from recorded.models import ImportRun, PostcodeSector, RecordedCount, RecordedIncident
from recorded.services import import_police_records
from rjcases.models import Ward
from tests.factories import incident_data, reference
from tests.recorded.conftest import csv_text, police_row
from tests.walk import refer

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, name="extract.csv"):
    path = tmp_path / name
    path.write_text(csv_text(rows))
    return path


def total(basis="occurred") -> int:
    return sum(
        n
        for (_w, _c, _s, strand), (n, _v, _p) in counts.raw_counts(basis, date(2000, 1, 1), date(2100, 1, 1)).items()
        if strand == 0
    )


def summary_total(basis="occurred") -> int:
    rows = RecordedCount.objects.filter(basis=basis, grain="month", strand_id=0)
    return sum(rows.values_list("incidents", flat=True))


def test_a_good_file_imports_every_row_with_its_values(police_reference, tmp_path, capsys):
    PostcodeSector.objects.create(sector="M32 0", ward=reference(Ward, "TRF02"))
    Ward.objects.filter(code="TRF03").update(name="Altrincham")
    rows = [
        police_row(1, strands="race; religion", repeat_victim="yes", victim_key="ab" * 16),
        police_row(2, ward="", postcode="m320th", place="Bus stop", crime_type="nchi", crime_or_non_crime="non-crime"),
        police_row(3, reported_at="2026-03-05", occurred_on="2026-03-04", ward="Altrincham"),
    ]
    call_command("import_recorded_incidents", str(write(tmp_path, rows)))

    assert "Imported 3 of 3 rows: 3 new, 0 updated, 0 unchanged; 0 rejected." in capsys.readouterr().out
    first = RecordedIncident.objects.get(crime_reference="06/100001/26")
    assert first.source == RecordedIncident.Source.POLICE
    assert (first.reported_on, first.reported_time, first.occurred_on) == (
        date(2026, 3, 2),
        time(14, 25),
        date(2026, 3, 1),
    )
    assert sorted(first.strands.values_list("code", flat=True)) == ["race", "religion"]
    assert first.repeat_victim_marker
    assert first.repeat_victim
    assert first.victim_key == "ab" * 16
    assert first.is_crime
    second = RecordedIncident.objects.get(crime_reference="06/100002/26")
    assert (second.ward.code, second.postcode, second.is_crime) == ("TRF02", "M32 0TH", False)
    assert second.crime_type.code == "nchi"
    third = RecordedIncident.objects.get(crime_reference="06/100003/26")
    assert third.ward.code == "TRF03"
    assert third.reported_time is None
    assert summary_total() == total() == 3
    assert ImportRun.objects.get().created == 3


def test_a_re_import_updates_and_never_duplicates(police_reference, tmp_path, capsys):
    rows = [police_row(1), police_row(2)]
    call_command("import_recorded_incidents", str(write(tmp_path, rows)))
    call_command("import_recorded_incidents", str(write(tmp_path, rows)))
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert RecordedIncident.objects.count() == 2

    changed = [police_row(1, ward="TRF03", strands="disability"), police_row(2), police_row(3)]
    call_command("import_recorded_incidents", str(write(tmp_path, changed)))
    assert "1 new, 1 updated, 1 unchanged" in capsys.readouterr().out
    record = RecordedIncident.objects.get(crime_reference="06/100001/26")
    assert record.ward.code == "TRF03"
    assert list(record.strands.values_list("code", flat=True)) == ["disability"]
    assert record.history.count() == 2  # the import and the correction, both recorded
    assert RecordedIncident.objects.count() == 3
    assert summary_total() == total() == 3
    ward_cells = RecordedCount.objects.filter(basis="occurred", grain="day", strand_id=0, incidents__gt=0)
    assert {Ward.objects.get(pk=c.ward_id).code: c.incidents for c in ward_cells} == {"TRF01": 2, "TRF03": 1}


def test_a_file_with_bad_rows_imports_nothing_and_lists_each(police_reference, tmp_path, capsys):
    rows = [
        police_row(1),
        police_row(2, ward="Nowhere"),
        police_row(3, occurred_on="2026-03-09", reported_at="2026-03-02"),
        police_row("not a reference"),
        police_row(5, crime_type="nchi", crime_or_non_crime="crime", strands="race; martians"),
        police_row(1),
        police_row(7, victim_key="Amina Testharmed"),
        police_row(8, reported_at="yesterday", repeat_victim="maybe"),
    ]
    with pytest.raises(CommandError, match="Nothing imported: 7 of 8 rows could not be read"):
        call_command("import_recorded_incidents", str(write(tmp_path, rows)))
    errors = capsys.readouterr().err
    assert "line 3 (06/100002/26): ward 'Nowhere' is not a ward of the borough" in errors
    assert "line 4 (06/100003/26): occurred_on 2026-03-09 is after the date reported, 2026-03-02" in errors
    assert "line 5 (NOT A REFERENCE): crime_reference 'not a reference' is not a police reference" in errors
    assert (
        "line 6 (06/100005/26): crime_or_non_crime says crime but crime_type nchi is a non-crime hate incident"
        in errors
    )
    assert "strand 'martians' is not one of: race, religion" in errors
    assert "line 7 (06/100001/26): crime_reference is also on line 2" in errors
    assert "line 8 (06/100007/26): victim_key is not a hashed identifier" in errors
    assert "reported_at 'yesterday' is not a date and time" in errors
    assert "repeat_victim 'maybe' is not yes or no" in errors
    assert not RecordedIncident.objects.exists()
    assert not RecordedCount.objects.exists()
    run = ImportRun.objects.get()
    assert (run.rows, run.rejected, run.imported) == (8, 7, False)


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(police_reference, tmp_path, capsys):
    rows = [police_row(1), police_row(2, strands=""), police_row(3)]
    call_command("import_recorded_incidents", str(write(tmp_path, rows)), "--skip-invalid")
    captured = capsys.readouterr()
    assert "line 3 (06/100002/26): strands is empty" in captured.err
    assert "Imported 2 of 3 rows: 2 new, 0 updated, 0 unchanged; 1 rejected." in captured.out
    assert sorted(RecordedIncident.objects.values_list("crime_reference", flat=True)) == [
        "06/100001/26",
        "06/100003/26",
    ]


def test_a_file_that_is_not_the_layout_is_refused_whole(police_reference, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("reference,date\n06/100001/26,2026-03-01\n")
    with pytest.raises(CommandError, match="no crime_reference, reported_at, occurred_on"):
        call_command("import_recorded_incidents", str(path))
    assert not RecordedIncident.objects.exists()


def test_a_postcode_outside_the_sector_list_needs_a_ward(police_reference):
    good, rejects = layout.check_rows([(2, police_row(1, ward="", postcode="M33 7XX"))])
    assert not good
    assert rejects[0].reasons == ["postcode M33 7XX is in no ward on the postcode sector list: give the ward"]


def test_a_police_record_later_referred_to_rj_is_counted_once(police_reference, police_referrer):
    import_police_records([(2, police_row(1, occurred_on="2026-03-01"))])
    case = refer(police_referrer, incident=incident_data(crime_reference="06/100001/26"))

    record = RecordedIncident.objects.get()
    assert (record.source, record.case) == (RecordedIncident.Source.POLICE, case)
    assert record.occurred_on == date(2026, 3, 1)  # the police's values stand
    assert summary_total() == total() == 1
    assert set(RecordedCount.objects.filter(incidents__gt=0).values_list("source", flat=True)) == {"police-rj"}


def test_an_rj_referral_later_in_the_police_import_is_counted_once(police_reference, police_referrer):
    case = refer(police_referrer, incident=incident_data(crime_reference="06/100001/26"))
    own = RecordedIncident.objects.get()
    assert (own.source, own.case, own.occurred_on) == (RecordedIncident.Source.RJ, case, date(2026, 10, 1))

    report = import_police_records([(2, police_row(1))])

    assert (report.created, report.updated) == (0, 1)
    record = RecordedIncident.objects.get()
    assert (record.pk, record.source, record.case, record.occurred_on) == (own.pk, "police", case, date(2026, 3, 1))
    assert summary_total() == total() == 1


def test_referrals_and_centre_reports_are_recorded_incidents_by_themselves(
    police_reference, police_referrer, centre_staff
):
    police = refer(police_referrer, strands=("race", "religion"), received_on=date(2026, 10, 3))
    centre = refer(
        centre_staff,
        route_code="reporting-centre",
        reporting_centre=centre_staff.organisation,
        consents_to_police=True,
        incident=incident_data(ward_code="TRF02", postcode="m32 0th", place="Library"),
    )
    first, second = police.recorded_incident, centre.recorded_incident
    assert (first.source, first.reported_on, first.occurred_on) == ("rj", date(2026, 10, 3), date(2026, 10, 1))
    assert sorted(first.strands.values_list("code", flat=True)) == ["race", "religion"]
    assert (second.source, second.ward.code, second.postcode, second.place_key) == (
        "centre",
        "TRF02",
        "M32 0TH",
        "postcode:M320TH",
    )
    assert summary_total() == total() == 2


def test_a_referral_counts_by_the_date_it_was_reported_when_the_incident_records_it(police_reference, police_referrer):
    case = refer(police_referrer, received_on=date(2026, 10, 5), incident=incident_data(reported_on=date(2026, 10, 2)))
    assert case.incident.reported_on == date(2026, 10, 2)
    assert case.recorded_incident.reported_on == date(2026, 10, 2)
    undated = refer(police_referrer, received_on=date(2026, 10, 5))
    assert undated.recorded_incident.reported_on == date(2026, 10, 5)  # counted from the referral


def test_a_report_date_recorded_later_on_the_case_moves_its_recorded_incident(
    police_reference, police_referrer, manager
):
    from recorded.models import RecordedIncident
    from rjcases.services.victims_code import record_report

    case = refer(police_referrer, received_on=date(2026, 10, 5))
    assert case.recorded_incident.reported_on == date(2026, 10, 5)  # counted from the referral until recorded
    record_report(case, manager, reported_on=date(2026, 10, 2), reported_by="witness")
    assert RecordedIncident.objects.get(case=case).reported_on == date(2026, 10, 2)
    assert summary_total() == total() == 1
