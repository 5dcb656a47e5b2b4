"""aws-sdk:s3 getObject/putObject results as AWS gives them (harness/engine/s3_sdk_results.py)."""

from __future__ import annotations

import io

import pytest

from harness.engine.s3_sdk_results import crc32_base64, get_object_result, put_object_body, put_object_result


@pytest.mark.parametrize("body,stored", [
    ({"Dict": "Value"}, '{"Dict":"Value"}'), (["List", "Data"], '["List","Data"]'),
    (False, "false"), (0, "0"), ("text", "text"),
])
def test_put_object_stores_compact_json_for_non_strings(body: object, stored: str) -> None:
    assert put_object_body(body) == stored


def test_put_object_result_has_checksum_and_encryption() -> None:
    # Recorded on AWS for Body {"Dict": "Value"} (conformance case test_s3_put_object[dict]).
    result = put_object_result({"ETag": '"49e31cee5aec8faf3345893addb14346"'}, '{"Dict":"Value"}')
    assert result == {"ETag": '"49e31cee5aec8faf3345893addb14346"', "ChecksumCRC32": "hnEfWw==",
                      "ChecksumType": "FULL_OBJECT", "ServerSideEncryption": "AES256"}
    assert crc32_base64(b"false") == "K81oMA=="


def test_get_object_result_reads_the_body_as_text() -> None:
    result = get_object_result({"Body": io.BytesIO(b"text data"), "ContentLength": 9, "ETag": '"e"',
                                "AcceptRanges": "bytes", "ContentType": "binary/octet-stream"})
    assert result == {"AcceptRanges": "bytes", "ContentLength": 9, "ContentType": "binary/octet-stream",
                      "ETag": '"e"', "Metadata": {}, "ServerSideEncryption": "AES256", "Body": "text data"}
