"""Python reference for scripts/bench.d/api: what users write today, asyncio + aiohttp with
the official Huawei Cloud SDK signer (huaweicloudsdkcore's Signer, SDK-HMAC-SHA256).

Waits for N MetaStudio jobs (bench-00001 ...) the way api-wait.lua does: 256 workers over
the ids, each job polled until a terminal state with 1 ms between polls, every request
signed anew, each answer parsed and its state mapped to a status (a dict lookup). One
shared ClientSession, at most 64 connections to the host. Exits non-zero unless every
answer was 200 and every job succeeded.

Usage: python api-python.py ENDPOINT N     (ENDPOINT e.g. http://127.0.0.1:8080)
"""

import asyncio
import json
import sys
from urllib.parse import urlsplit

import aiohttp
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

AK, SK, PROJECT = "MWDEMOAK", "mw-demo-secret", "mw-demo-project"
STATUSES = {"WAITING": "queued", "PROCESSING": "running", "SUCCEED": "succeeded",
            "PARTIAL_SUCCEED": "partial", "FAILED": "failed", "CANCELED": "canceled"}
TERMINAL = {"succeeded", "partial", "failed", "canceled"}
CONCURRENCY, CONNECTIONS, DELAY = 256, 64, 0.001


async def main(endpoint, count):
    parts = urlsplit(endpoint)
    signer = Signer(BasicCredentials(AK, SK, PROJECT))
    ids = [f"bench-{i:05d}" for i in range(1, count + 1)]
    statuses = {}
    answers = {}

    async def poll(session, job_id):
        path = f"/v1/{PROJECT}/digital-human/stylized/picture-modelings/{job_id}"
        while True:
            request = SdkRequest(method="GET", schema=parts.scheme, host=parts.netloc, resource_path=path,
                                 query_params=[], header_params={"Content-Type": "application/json",
                                                                 "X-Project-Id": PROJECT, "Host": parts.netloc})
            signer.sign(request)
            async with session.get(endpoint + request.uri, headers=request.header_params) as response:
                body = await response.read()
                answers[response.status] = answers.get(response.status, 0) + 1
                if response.status != 200:
                    return f"HTTP {response.status}"
            status = STATUSES.get(json.loads(body).get("state"), "unknown")
            if status in TERMINAL:
                return status
            await asyncio.sleep(DELAY)

    async def worker(session, queue):
        while queue:
            job_id = queue.pop()
            statuses[job_id] = await poll(session, job_id)

    connector = aiohttp.TCPConnector(limit=0, limit_per_host=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector, skip_auto_headers=["User-Agent"]) as session:
        queue = ids[::-1]
        await asyncio.gather(*(worker(session, queue) for _ in range(min(CONCURRENCY, count))))

    succeeded = sum(1 for status in statuses.values() if status == "succeeded")
    print(json.dumps({"jobs": count, "succeeded": succeeded, "answers": answers}))
    if succeeded != count or set(answers) != {200}:
        sys.exit(f"only {succeeded} of {count} jobs succeeded; answers {answers}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1].rstrip("/"), int(sys.argv[2])))
