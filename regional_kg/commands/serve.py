"""``rkg serve``: answer SPARQL over HTTP (Protocol endpoint, query page, catalogue API)."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from regional_kg.commands import common, store_options
from regional_kg.errors import UserError
from regional_kg.server import make_server


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "serve", run)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="port (default: %(default)s; 0 = any)"
    )
    parser.add_argument(
        "--update-token",
        metavar="TOKEN",
        default=os.environ.get("RKG_UPDATE_TOKEN"),
        help="accept SPARQL Update carrying 'Authorization: Bearer TOKEN' "
        "(default: $RKG_UPDATE_TOKEN; unset = read-only)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="S", help="query time limit (default: 30)"
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=100_000,
        metavar="N",
        help="refuse answers with more rows or triples than this (default: 100000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=8,
        metavar="N",
        help="queries evaluated at once (default: 8); more wait their turn within the timeout",
    )
    common.add_repeatable(
        parser,
        "--allow-service",
        metavar="URL",
        help="let queries use SERVICE <URL> (and updates LOAD <URL>); repeatable. "
        "Without it the server makes no outbound requests at all",
    )
    common.add_repeatable(
        parser,
        "--cors",
        metavar="ORIGIN",
        help="allow cross-origin requests from ORIGIN (e.g. https://yasgui.triply.cc, "
        "or * for any); repeatable",
    )
    common.add_repeatable(
        parser,
        "--allow-host",
        metavar="NAME",
        help="also answer requests whose Host header is NAME (loopback names, IP addresses and "
        "the bound host are always accepted; others are refused against DNS rebinding)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0 to 65535)")
    return port


def run(args: argparse.Namespace) -> int:
    if args.timeout <= 0 or args.max_rows <= 0 or args.workers <= 0:
        raise UserError("--timeout, --max-rows and --workers must be positive")
    store = store_options.store_from_args(args)
    try:
        server = make_server(
            store,
            args.host,
            args.port,
            update_token=args.update_token,
            timeout=args.timeout,
            max_rows=args.max_rows,
            workers=args.workers,
            quiet=args.quiet,
            allow_service=tuple(args.allow_service),
            cors=tuple(args.cors),
            allow_hosts=tuple(args.allow_host),
        )
    except BaseException:
        store.close()
        raise
    if server.config.engine is not None:
        store.close()  # the engine has its own copy (or the folder): free this one
    signal.signal(signal.SIGTERM, _stop)  # so that `finally` stops the engine and cleans up
    mode = "read-write (update token set)" if args.update_token else "read-only"
    print(f"rkg serve: {server.url}/ ({mode}, store {store.spec}); Ctrl+C stops", file=sys.stderr)
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.close()
    return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
