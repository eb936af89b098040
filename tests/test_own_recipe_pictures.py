"""Pictures of own recipes: checked, re-encoded without metadata, stored, shown and served to their owner only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from meals import pictures
from meals.models import Recipe
from mealplan import services
from tests.nutrition_catalog import make_catalog
from tests.test_own_recipes import FORM
from tests.web_factories import make_user


def image_file(kind="PNG", size=(40, 30), mode="RGB", name="dish.png", **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, "red").save(buffer, kind, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 0.0)}  # GPSInfo: where the photo was taken
    return exif.tobytes()


@pytest.fixture
def cook(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_catalog()
    user = make_user("cook")
    client = Client()
    client.force_login(user)
    return user, client


def stored_files(settings) -> list:
    return sorted((settings.MEDIA_ROOT / "recipes").glob("*")) if (settings.MEDIA_ROOT / "recipes").exists() else []


def test_a_picture_is_re_encoded_upright_small_and_without_metadata():
    upload = image_file("JPEG", size=(3200, 2000), name="photo.jpg", exif=gps_exif())
    stored = Image.open(pictures.stored_picture(upload))
    assert stored.format == "JPEG" and max(stored.size) == pictures.STORED_MAX_SIDE
    assert not stored.getexif() and "exif" not in stored.info


def test_a_transparent_png_is_laid_on_white():
    stored = Image.open(pictures.stored_picture(image_file(mode="RGBA", size=(10, 10))))
    assert stored.mode == "RGB"


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("dish.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"), "not a picture"),
    (image_file("GIF", name="dish.gif"), "Upload a JPEG, PNG or WebP"),
    (image_file("BMP", name="dish.jpg"), "Upload a JPEG, PNG or WebP"),  # the content decides, not the name
])
def test_what_is_not_a_jpeg_png_or_webp_picture_is_refused_with_the_reason(upload, message):
    with pytest.raises(pictures.PictureError, match=message):
        pictures.stored_picture(upload)


def test_a_picture_too_large_in_bytes_or_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(pictures, "MAX_PICTURE_BYTES", 100)
    with pytest.raises(pictures.PictureError, match="at most 0 MB|MB; at most"):
        pictures.stored_picture(image_file(size=(200, 200)))
    monkeypatch.setattr(pictures, "MAX_PICTURE_BYTES", 5 * 1024 * 1024)
    monkeypatch.setattr(pictures, "MAX_PICTURE_PIXELS", 100)
    with pytest.raises(pictures.PictureError, match="megapixels"):
        pictures.stored_picture(image_file(size=(20, 20)))


def test_an_own_recipe_shows_its_picture_served_to_its_owner_only(cook, settings):
    user, client = cook
    response = client.post("/my-recipes/new/", {**FORM, "picture": image_file()})
    recipe = Recipe.objects.get(owner=user)
    assert response.status_code == 302 and recipe.picture.name.startswith("recipes/")
    page = client.get(recipe.get_absolute_url()).content.decode()
    assert f'<img src="{recipe.picture_url}"' in page and 'loading="lazy"' in page
    picture = client.get(recipe.picture_url)
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).size == (40, 30)
    assert "private" in picture["Cache-Control"]

    stranger = Client()
    stranger.force_login(make_user("stranger"))
    assert stranger.get(recipe.picture_url).status_code == 404
    assert Client().get(recipe.picture_url).status_code == 302  # to the login page
    assert len(stored_files(settings)) == 1


def test_a_bad_upload_saves_nothing_and_the_form_says_why(cook, settings):
    user, client = cook
    response = client.post("/my-recipes/new/", {**FORM, "picture": image_file("GIF", name="dish.gif")})
    assert response.status_code == 200 and "Upload a JPEG, PNG or WebP picture." in response.content.decode()
    assert not Recipe.objects.filter(owner=user).exists() and stored_files(settings) == []


def test_replacing_clearing_and_deleting_remove_the_old_file(cook, settings, django_capture_on_commit_callbacks):
    user, client = cook
    client.post("/my-recipes/new/", {**FORM, "picture": image_file()})
    recipe = Recipe.objects.get(owner=user)
    first_url, first_files = recipe.picture_url, stored_files(settings)
    edit = client.get(f"/my-recipes/{recipe.pk}/edit/").content.decode()
    assert "picture-clear" in edit and first_url in edit  # the current picture, with a box to remove it

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-recipes/{recipe.pk}/edit/", {**FORM, "picture": image_file(size=(60, 45))})
    recipe.refresh_from_db()
    assert recipe.picture_url != first_url and len(stored_files(settings)) == 1
    assert stored_files(settings) != first_files

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-recipes/{recipe.pk}/edit/", {**FORM})  # no new file: the picture stays
    recipe.refresh_from_db()
    assert recipe.picture and len(stored_files(settings)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-recipes/{recipe.pk}/edit/", {**FORM, "picture-clear": "on"})
    recipe.refresh_from_db()
    assert not recipe.picture and stored_files(settings) == []
    assert client.get(f"/my-recipes/{recipe.pk}/picture/").status_code == 404

    client.post(f"/my-recipes/{recipe.pk}/edit/", {**FORM, "picture": image_file()})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-recipes/{recipe.pk}/delete/")
    assert not Recipe.objects.filter(owner=user).exists() and stored_files(settings) == []


def test_a_household_member_reads_an_own_recipe_and_its_picture_but_cannot_change_it(cook, settings):
    """A household plan may hold a member's own recipe (a dish only they eat), and its card links to it."""
    user, client = cook
    client.post("/my-recipes/new/", {**FORM, "picture": image_file()})
    recipe = Recipe.objects.get(owner=user)
    partner = make_user("partner")
    services.join_household(user=partner, invitation=services.invite_to_household(
        household=user.profile.household, user=user))
    member = Client()
    member.force_login(partner)

    page = member.get(recipe.get_absolute_url())
    assert page.status_code == 200 and recipe.title in page.content.decode()
    assert f'<img src="{recipe.picture_url}"' in page.content.decode()
    assert "only they can change it" in page.content.decode() and "/edit/" not in page.content.decode()
    assert member.get(recipe.picture_url).status_code == 200
    for action in (f"/my-recipes/{recipe.pk}/edit/", f"/my-recipes/{recipe.pk}/delete/"):
        assert member.get(action).status_code == 404
        assert member.post(action, FORM).status_code == 404
    assert Recipe.objects.filter(pk=recipe.pk, title=recipe.title).exists()
