"""An S3-compatible store for the tests: moto in server mode, on a free port of 127.0.0.1.

The app reaches it over HTTP through boto3, as it would reach MinIO or Ceph; app servers started
as separate processes (tests/test_two_hosts.py) reach the same one.
"""
import secrets

import boto3
from botocore.config import Config

from tests.smtp_support import free_port

KEYS = {"STORAGE_ACCESS_KEY_ID": "testing-key", "STORAGE_SECRET_ACCESS_KEY": "testing-secret",
        "STORAGE_REGION": "us-east-1"}


def start_moto():
    """A ThreadedMotoServer that answers; returns (server, endpoint URL). Stop it with server.stop()."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def s3_client(endpoint):
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name=KEYS["STORAGE_REGION"],
        aws_access_key_id=KEYS["STORAGE_ACCESS_KEY_ID"], aws_secret_access_key=KEYS["STORAGE_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}),
    )


class Bucket:
    """A fresh bucket of the moto server, and the settings that point the app at it."""

    def __init__(self, endpoint, prefix="hadir"):
        self.endpoint = endpoint
        self.name = f"hadir-test-{secrets.token_hex(6)}"
        self.prefix = prefix
        self.client = s3_client(endpoint)
        self.client.create_bucket(Bucket=self.name)

    @property
    def settings(self):
        return {"STORAGE_URL": f"s3://{self.name}/{self.prefix}", "STORAGE_ENDPOINT_URL": self.endpoint,
                "STORAGE_ADDRESSING_STYLE": "path", **KEYS}

    def keys(self):
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def empty(self):
        for key in self.keys():
            self.client.delete_object(Bucket=self.name, Key=key)

    def drop(self):
        self.empty()
        self.client.delete_bucket(Bucket=self.name)
