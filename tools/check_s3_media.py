"""The logos' path with MEDIA_STORAGE=s3, against moto's in-process S3 (no network, no
bucket): upload, the three objects with their Cache-Control, the public addresses, the
CSP's img-src. Needs the optional S3 dependency and moto, which the project does not
install; in a separate virtualenv that sees the project's packages:

    python3 -m venv /tmp/s3venv
    .venv/bin/python -c "import site; print(site.getsitepackages()[0])" \\
        > /tmp/s3venv/lib/python3.11/site-packages/project.pth
    /tmp/s3venv/bin/pip install 'django-storages[s3]==1.14.6' 'moto[s3]==5.2.5'
    /tmp/s3venv/bin/python tools/check_s3_media.py
"""

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUCKET, REGION = "directory-media", "eu-west-3"
os.environ.update(
    DJANGO_SETTINGS_MODULE="ecosystem.project.settings",
    DEBUG="1",
    MEDIA_STORAGE="s3",
    AWS_STORAGE_BUCKET_NAME=BUCKET,
    AWS_S3_REGION_NAME=REGION,
    AWS_S3_CUSTOM_DOMAIN="media.example.org",
    AWS_ACCESS_KEY_ID="test",
    AWS_SECRET_ACCESS_KEY="test",
    DATABASE_URL=f"sqlite:///{tempfile.mkdtemp()}/s3check.sqlite3",
)


def main():
    import boto3
    import django
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from PIL import Image

        from ecosystem.project.middleware import POLICY
        from members.models import Organization

        call_command("migrate", verbosity=0)
        buffer = io.BytesIO()
        Image.new("RGB", (300, 100), (11, 110, 79)).save(buffer, "PNG")
        for slug in ("first", "same-picture"):
            organization = Organization(slug=slug, name_en=slug, name_fr=slug, kind="ngo")
            organization.logo = SimpleUploadedFile(f"{slug}.png", buffer.getvalue(), "image/png")
            organization.full_clean()
            organization.save()
            print(slug, organization.logo.name, organization.logo_small, organization.logo_large)
        for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]:
            head = s3.head_object(Bucket=BUCKET, Key=item["Key"])
            print(item["Key"], item["Size"], head["ContentType"], head.get("CacheControl"))
        print(next(part for part in POLICY.split("; ") if part.startswith("img-src")))


if __name__ == "__main__":
    main()
