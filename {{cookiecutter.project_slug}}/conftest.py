import pytest


@pytest.fixture
def password():
    return "a-long-test-password"


@pytest.fixture
def user(django_user_model, password):
    return django_user_model.objects.create_user(username="alice", password=password)


@pytest.fixture
def other_user(django_user_model, password):
    return django_user_model.objects.create_user(username="bob", password=password)


@pytest.fixture
def alice_client(client, user):
    client.force_login(user)
    return client
