"""OPTIC's president is named from ITC's undated article: the seeded texts say so
rather than state it as current fact (issue 21). Only rows still as seeded change."""

from django.db import migrations

from ecosystem.opendata.seed_migrations import bump_data_version, replace_texts

SEEDED_TEXTS = {'digital-senegal-consortium': {'description_en': ('According to OPTIC’s president Antoine '
                                                   'Ngom, the initiatives carried out with '
                                                   'the NTF V project contributed to the '
                                                   'emergence of the Digital Senegal '
                                                   'consortium. The source gives no further '
                                                   'detail about its members or activities.',
                                                   'According to Antoine Ngom, OPTIC’s '
                                                   'president in ITC’s undated article on NTF '
                                                   'V, the initiatives carried out with the '
                                                   'NTF V project contributed to the '
                                                   'emergence of the Digital Senegal '
                                                   'consortium. The source gives no further '
                                                   'detail about its members or activities.'),
                                'description_fr': ('Selon le président de l’OPTIC, Antoine '
                                                   'Ngom, les initiatives menées avec le '
                                                   'projet NTF V ont contribué à l’émergence '
                                                   'du consortium Digital Senegal. La source '
                                                   'ne donne pas davantage de détails sur ses '
                                                   'membres ou ses activités.',
                                                   'Selon Antoine Ngom, président de l’OPTIC '
                                                   'dans l’article non daté de l’ITC sur le '
                                                   'NTF V, les initiatives menées avec le '
                                                   'projet NTF V ont contribué à l’émergence '
                                                   'du consortium Digital Senegal. La source '
                                                   'ne donne pas davantage de détails sur ses '
                                                   'membres ou ses activités.')},
 'optic': {'description_en': ('OPTIC, presided over by Antoine Ngom, is Senegal’s leading '
                              'organization for tech professionals, in both information '
                              'technology and business process outsourcing. Its goals are a '
                              'regulatory environment conducive to growth and innovation, '
                              'better skills and international competitiveness for its '
                              'members, and partnerships. It co-organised the first IT/BPO '
                              'export strategy consultation in Dakar in July 2018 under NTF '
                              'IV, and worked for three years with the NTF V project: '
                              'coaching, pitch and fund-raising training, a 360° diagnosis, '
                              'certification support and participation in SIPEN, VivaTech, '
                              'Africarena and GITEX International for its members; a '
                              'performance diagnosis after which OPTIC restructured its '
                              'governance, revised its fundamental texts and defined the '
                              'recruitment needs of its permanent secretariat. Its membership '
                              'has grown significantly. Having secured a plot of land for its '
                              'future head office, it now aims at financial autonomy, '
                              'stronger regional cooperation in West Africa and dialogue with '
                              'public authorities.',
                              'OPTIC is Senegal’s leading organization for tech '
                              'professionals, in both information technology and business '
                              'process outsourcing; ITC’s undated article on NTF V names '
                              'Antoine Ngom as its president. Its goals are a regulatory '
                              'environment conducive to growth and innovation, better skills '
                              'and international competitiveness for its members, and '
                              'partnerships. It co-organised the first IT/BPO export strategy '
                              'consultation in Dakar in July 2018 under NTF IV, and worked '
                              'for three years with the NTF V project: coaching, pitch and '
                              'fund-raising training, a 360° diagnosis, certification support '
                              'and participation in SIPEN, VivaTech, Africarena and GITEX '
                              'International for its members; a performance diagnosis after '
                              'which OPTIC restructured its governance, revised its '
                              'fundamental texts and defined the recruitment needs of its '
                              'permanent secretariat. Its membership has grown significantly. '
                              'Having secured a plot of land for its future head office, it '
                              'now aims at financial autonomy, stronger regional cooperation '
                              'in West Africa and dialogue with public authorities.'),
           'description_fr': ('L’OPTIC, présidée par Antoine Ngom, est la principale '
                              'organisation des professionnels de la tech au Sénégal, dans '
                              'l’informatique comme dans l’externalisation des processus '
                              'métiers. Elle s’est fixé pour objectifs un cadre réglementaire '
                              'propice à la croissance et à l’innovation, le renforcement des '
                              'compétences et de la compétitivité de ses membres sur les '
                              'marchés internationaux, et le développement de partenariats. '
                              'Elle a co-organisé la première consultation sectorielle sur la '
                              'stratégie export IT/BPO à Dakar en juillet 2018 dans le cadre '
                              'du NTF IV, puis travaillé trois ans avec le projet NTF V : '
                              'coaching, formations au pitch et à la levée de fonds, '
                              'diagnostic 360°, appui à la certification et participation au '
                              'SIPEN, à VivaTech, à Africarena et au GITEX International pour '
                              'ses membres ; un diagnostic de performance à la suite duquel '
                              'l’OPTIC a restructuré sa gouvernance, révisé ses textes '
                              'fondamentaux et défini ses besoins de recrutement pour son '
                              'secrétariat permanent. Le nombre de ses membres a nettement '
                              'augmenté. Ayant obtenu un terrain pour son futur siège, elle '
                              'vise désormais l’autonomie financière, une coopération '
                              'régionale renforcée en Afrique de l’Ouest et le dialogue avec '
                              'les pouvoirs publics.',
                              'L’OPTIC est la principale organisation des professionnels de '
                              'la tech au Sénégal, dans l’informatique comme dans '
                              'l’externalisation des processus métiers ; l’article non daté '
                              'de l’ITC sur le NTF V présente Antoine Ngom comme son '
                              'président. Elle s’est fixé pour objectifs un cadre '
                              'réglementaire propice à la croissance et à l’innovation, le '
                              'renforcement des compétences et de la compétitivité de ses '
                              'membres sur les marchés internationaux, et le développement de '
                              'partenariats. Elle a co-organisé la première consultation '
                              'sectorielle sur la stratégie export IT/BPO à Dakar en juillet '
                              '2018 dans le cadre du NTF IV, puis travaillé trois ans avec le '
                              'projet NTF V : coaching, formations au pitch et à la levée de '
                              'fonds, diagnostic 360°, appui à la certification et '
                              'participation au SIPEN, à VivaTech, à Africarena et au GITEX '
                              'International pour ses membres ; un diagnostic de performance '
                              'à la suite duquel l’OPTIC a restructuré sa gouvernance, révisé '
                              'ses textes fondamentaux et défini ses besoins de recrutement '
                              'pour son secrétariat permanent. Le nombre de ses membres a '
                              'nettement augmenté. Ayant obtenu un terrain pour son futur '
                              'siège, elle vise désormais l’autonomie financière, une '
                              'coopération régionale renforcée en Afrique de l’Ouest et le '
                              'dialogue avec les pouvoirs publics.')}}

def attribute_the_president(apps, schema_editor):
    Organization = apps.get_model("members", "Organization")
    if replace_texts(apps, Organization, SEEDED_TEXTS):
        bump_data_version(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_organization_logo"),
        ("ecosystem", "0008_clean_text"),
    ]

    operations = [migrations.RunPython(attribute_the_president, migrations.RunPython.noop)]
