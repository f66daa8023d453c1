from django.contrib.auth.models import Group

from cms import roles


def test_roles_exist_as_groups_with_their_permissions(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ALL_ROLES) <= names
    editors = Group.objects.get(name=roles.EDITORS)
    assert editors.permissions.filter(codename="access_admin").exists()
    # page permissions are per mairie (cms.mairie_groups), never on the role group across every mairie
    assert not editors.page_permissions.exists()
    assert not Group.objects.get(name=roles.RESIDENTS).permissions.filter(codename="access_admin").exists()


def test_an_editor_publishes_in_their_own_mairie_only(editor19, mairie19, mairie20):
    from wagtail.models import Page

    home19, home20 = (Page.objects.get(pk=m.site.root_page_id) for m in (mairie19, mairie20))
    assert home19.permissions_for_user(editor19).can_publish()
    assert not home20.permissions_for_user(editor19).can_edit()
    assert not Page.get_first_root_node().permissions_for_user(editor19).can_add_subpage()


def test_role_predicates(resident19, agent19, editor19, organiser19, mairie19, mairie20):
    assert roles.is_resident(resident19) and not roles.is_agent(resident19)
    assert roles.is_agent(agent19) and roles.is_agent_of(agent19, mairie19) and not roles.is_agent_of(agent19, mairie20)
    assert roles.is_editor(editor19) and not roles.is_organiser(editor19)
    assert roles.is_organiser_of(organiser19, mairie19) and not roles.is_organiser_of(organiser19, mairie20)
    # editors and organisers may enter the agents' spaces
    assert roles.is_agent(editor19) and roles.is_agent(organiser19)


def test_a_user_can_hold_several_roles(mairie19):
    from tests.factories import UserFactory

    user = UserFactory(mairie=mairie19, roles=[roles.AGENTS, roles.ORGANISERS])
    assert roles.is_agent(user) and roles.is_organiser(user) and not roles.is_editor(user)


def test_anonymous_and_inactive_users_hold_no_role(mairie19, organiser19):
    from django.contrib.auth.models import AnonymousUser

    assert not roles.is_organiser(AnonymousUser())
    organiser19.is_active = False
    assert not roles.is_organiser(organiser19)


def test_staff_can_reach_the_wagtail_admin_residents_cannot(agent19, resident19):
    from tests.conftest import client_as

    assert client_as(agent19).get("/admin/").status_code == 200
    assert client_as(resident19).get("/admin/").status_code == 302
