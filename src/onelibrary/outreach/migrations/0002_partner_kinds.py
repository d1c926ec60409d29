"""The kinds of partner, from the Compatible Library Partners Chart in the staff's guide
(context 004), with its examples. Data, not code: the central office edits them in the
admin; this migration only loads the chart's list once."""

from django.db import migrations

CHART = (
    (
        "Businesses, chambers of commerce and economic development organisations",
        "Local employers, small business owners, visitors' centers, chambers of commerce, "
        "economic development councils, industry councils, real estate agents, restaurants",
    ),
    (
        "Community services organisations, associations and clubs",
        "Literacy organizations, YMCA, AARP, AAUW, American Red Cross, Kiwanis, Lions, "
        "Rotary, United Way, neighborhood associations, organizations serving the homeless, "
        "Salvation Army",
    ),
    (
        "Cultural groups",
        "Theater groups, art leagues, dance supporters, arts commissions, historic "
        "preservation groups, state humanities councils",
    ),
    (
        "Educational organisations",
        "Public schools, private schools, colleges/universities, PTA or PTO groups, school "
        "boards, home school organizations, multilingual programs, higher education "
        "institutions, tutoring organizations",
    ),
    (
        "Ethnic organisations",
        "Ethnic chambers of commerce, NAACP, tribal councils, Latino/Hispanic groups, Asian "
        "groups, Urban League, refugee rights associations, refugee/immigrant centers",
    ),
    ("Family services organisations", "Family service agencies, social services departments"),
    ("Financial representatives", "Bankers, credit unions, financial planners, stockbrokers"),
    (
        "Government and political representatives",
        "Mayor, city/county manager, city council, county supervisors, city/county fiscal "
        "office, city/county planning office, law enforcement officers, job training programs",
    ),
    (
        "Health organisations",
        "American Cancer Society, American Heart Association, hospitals, public health "
        "nurses, public health clinics, National Network of Libraries of Medicine",
    ),
    ("Legal organisations", "Legal aid, ACLU, bar associations"),
    (
        "Library representatives",
        "School media center staff, college or university librarians, special librarians",
    ),
    (
        "Media representatives",
        "Newspaper, radio, TV, ethnic media, local magazines, community newsletters",
    ),
    (
        "Organisations of and for people with disabilities",
        "Center on Deafness, Council of the Blind, state/county/city health and human "
        "services, Easter Seal, Goodwill, independent living centers, United Cerebral Palsy",
    ),
    (
        "Professional groups",
        "Medical associations, board of realtors, bar association, business and "
        "professional women's groups",
    ),
    (
        "Religious groups and organisations",
        "Churches, ministerial alliance, youth groups, Jewish community centers, Young Life, "
        "Catholic Services",
    ),
    ("Senior centers and service organisations", "Area Agency on Aging, senior centers, RSVP"),
    (
        "Technology experts",
        "Computer clubs, consultants, community colleges, Internet providers, universities",
    ),
    (
        "Youth services organisations",
        "Big Brother/Sister, Boy Scouts, Girl Scouts, FFA, FHA, child abuse agencies, "
        "city/county recreation programs, Junior Achievement, Head Start, Even Start, child "
        "care associations, school-age care and enrichment programs",
    ),
    (
        "Women's centers and service organisations",
        "Women's shelters, YWCA, National Organization for Women, Junior League, "
        "Soroptimist, sororities",
    ),
)


def load(apps, schema_editor):
    PartnerKind = apps.get_model("outreach", "PartnerKind")
    for position, (name, examples) in enumerate(CHART, start=1):
        PartnerKind.objects.get_or_create(
            name=name, defaults={"examples": examples, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
