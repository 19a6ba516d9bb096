# SPDX-License-Identifier: GPL-3.0-or-later
"""The shop's request handlers, independent of the web framework.

Each handler takes the query parameters (dict of str) and the request body
(bytes) and returns (status, JSON-able object).  The code paths are the
ones a real service has, which is what a debugger and a profiler should be
tried on: JSON validation, database lookups, sorting, a memory-hungry
report and a CPU-heavy recommendation score."""

import json
import math
import random
import time

from .catalog import CATEGORIES, Catalog

MAX_PAGE = 100
SORT_KEYS = ("price", "rating", "name", "stock")
TIER_DISCOUNT = {"basic": 0.0, "silver": 0.05, "gold": 0.10}


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


def _int_param(params, name, default, low, high):
    text = params.get(name)
    if text in (None, ""):
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest("%s must be a whole number" % name) from None
    if not low <= value <= high:
        raise BadRequest("%s must be between %d and %d" % (name, low, high))
    return value


class Shop:
    def __init__(self, catalog=None):
        self.catalog = catalog or Catalog()
        self.started = time.time()

    # -- routes (method, path pattern, handler) ------------------------------

    def routes(self):
        return [
            ("GET", "/health", self.health),
            ("GET", "/api/products", self.list_products),
            ("GET", "/api/products/{id}", self.get_product),
            ("POST", "/api/orders", self.create_order),
            ("GET", "/api/orders/{id}", self.get_order),
            ("GET", "/api/reports/sales", self.sales_report),
            ("GET", "/api/recommendations/{id}", self.recommendations),
        ]

    def health(self, params, body):
        return 200, {"status": "ok", "uptime_s": round(time.time() - self.started, 3)}

    def list_products(self, params, body):
        category = params.get("category") or None
        if category is not None and category not in CATEGORIES:
            raise BadRequest("unknown category %r; use one of %s" % (category, ", ".join(CATEGORIES)))
        sort = params.get("sort", "price")
        if sort not in SORT_KEYS:
            raise BadRequest("sort must be one of %s" % ", ".join(SORT_KEYS))
        descending = params.get("order", "asc") == "desc"
        limit = _int_param(params, "limit", 20, 1, MAX_PAGE)
        offset = _int_param(params, "offset", 0, 0, 1000000)

        rows = self.catalog.products(category, params.get("q"))
        key = {"price": lambda p: (p["price_cents"], p["id"]),
               "rating": lambda p: (p["rating"], p["id"]),
               "name": lambda p: (p["name"].lower(), p["id"]),
               "stock": lambda p: (p["stock"], p["id"])}[sort]
        rows.sort(key=key, reverse=descending)
        page = rows[offset:offset + limit]
        return 200, {"total": len(rows), "offset": offset,
                     "products": [self._public(p) for p in page]}

    @staticmethod
    def _public(product):
        return {"id": product["id"], "name": product["name"], "category": product["category"],
                "price": product["price_cents"] / 100, "stock": product["stock"],
                "rating": product["rating"], "tags": product["tags"].split(",")}

    def get_product(self, params, body):
        product = self.catalog.product(_int_param(params, "id", 0, 1, 10 ** 9))
        if product is None:
            raise NotFound("no product %s" % params["id"])
        return 200, self._public(product)

    def create_order(self, params, body):
        try:
            order = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise BadRequest("the body must be JSON: %s" % e) from None
        if not isinstance(order, dict):
            raise BadRequest("an order is a JSON object")
        customer_id = order.get("customer_id")
        customer = self.catalog.customer(customer_id) if type(customer_id) is int else None
        if customer is None:
            raise BadRequest("unknown customer_id %r" % (order.get("customer_id"),))
        items = order.get("items")
        if not isinstance(items, list) or not items or len(items) > 50:
            raise BadRequest("items must be a list of 1 to 50 {product_id, quantity}")

        lines = []
        subtotal = 0
        for item in items:
            if not isinstance(item, dict):
                raise BadRequest("each item is an object")
            product_id = item.get("product_id")
            product = self.catalog.product(product_id) if type(product_id) is int else None
            quantity = item.get("quantity", 1)
            if product is None:
                raise BadRequest("unknown product_id %r" % (item.get("product_id"),))
            if type(quantity) is not int or not 1 <= quantity <= 100:
                raise BadRequest("quantity must be 1..100")
            if quantity > product["stock"]:
                return 409, {"error": "only %d of %s left" % (product["stock"], product["name"])}
            line_total = product["price_cents"] * quantity
            subtotal += line_total
            lines.append({"product_id": product["id"], "name": product["name"],
                          "quantity": quantity, "line_total_cents": line_total})

        discount = TIER_DISCOUNT[customer["tier"]]
        if subtotal >= 10000:          # 100.00 and more: another 2 %
            discount += 0.02
        total = int(round(subtotal * (1 - discount)))
        created = time.time()
        order_id = self.catalog.add_order(customer["id"], total, created, json.dumps(lines))
        return 201, {"id": order_id, "customer_id": customer["id"], "lines": lines,
                     "subtotal": subtotal / 100, "discount": round(discount, 4),
                     "total": total / 100}

    def get_order(self, params, body):
        order = self.catalog.order(_int_param(params, "id", 0, 1, 10 ** 9))
        if order is None:
            raise NotFound("no order %s" % params["id"])
        return 200, {"id": order["id"], "customer_id": order["customer_id"],
                     "total": order["total_cents"] / 100, "lines": json.loads(order["lines"])}

    def sales_report(self, params, body):
        """Memory-hungry on purpose: materialises every synthetic sale of the
        period as a dict before aggregating, as naive reporting code does."""
        days = _int_param(params, "days", 7, 1, 30)
        rng = random.Random(days)
        products = self.catalog.products()
        sales = []
        for day in range(days):
            for _ in range(4000):
                product = products[rng.randrange(len(products))]
                quantity = rng.randint(1, 5)
                sales.append({"day": day, "product_id": product["id"],
                              "category": product["category"], "quantity": quantity,
                              "revenue_cents": product["price_cents"] * quantity,
                              "note": "sale-%d-%d" % (day, len(sales))})
        by_category = {}
        for sale in sales:
            bucket = by_category.setdefault(sale["category"], {"units": 0, "revenue_cents": 0})
            bucket["units"] += sale["quantity"]
            bucket["revenue_cents"] += sale["revenue_cents"]
        top = sorted(by_category.items(), key=lambda kv: kv[1]["revenue_cents"], reverse=True)
        return 200, {"days": days, "sales": len(sales),
                     "categories": [{"category": c, "units": v["units"],
                                     "revenue": v["revenue_cents"] / 100} for c, v in top]}

    def recommendations(self, params, body):
        """CPU-heavy on purpose: scores every product against the given one
        with a pure-Python similarity over tag and price features."""
        product = self.catalog.product(_int_param(params, "id", 0, 1, 10 ** 9))
        if product is None:
            raise NotFound("no product %s" % params["id"])
        rounds = _int_param(params, "rounds", 20, 1, 200)
        candidates = self.catalog.products()
        target = _features(product)
        scores = {}
        for _ in range(rounds):
            for other in candidates:
                if other["id"] == product["id"]:
                    continue
                scores[other["id"]] = _cosine(target, _features(other))
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        return 200, {"product_id": product["id"],
                     "recommended": [{"product_id": pid, "score": round(score, 6)}
                                     for pid, score in best]}


def _features(product):
    tags = product["tags"].split(",")
    vector = [1.0 if t in tags else 0.0 for t in
              ("compact", "classic", "deluxe", "eco", "heavy-duty", "mini", "smart", "vintage")]
    vector.append(math.log(product["price_cents"]) / 10)
    vector.append(product["rating"] / 5)
    return vector


def _cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def dispatch(shop, routes, method, path, params, body):
    """Find the handler for method+path; returns (status, obj).  Shared by
    the WSGI and Flask front ends."""
    parts = [p for p in path.split("/") if p]
    allowed = False
    for route_method, pattern, handler in routes:
        segs = [s for s in pattern.split("/") if s]
        if len(segs) != len(parts):
            continue
        found = dict(params)
        for seg, part in zip(segs, parts):
            if seg.startswith("{"):
                found[seg[1:-1]] = part
            elif seg != part:
                break
        else:
            if route_method != method:
                allowed = True
                continue
            try:
                return handler(found, body)
            except BadRequest as e:
                return 400, {"error": str(e)}
            except NotFound as e:
                return 404, {"error": str(e)}
    if allowed:
        return 405, {"error": "method not allowed"}
    return 404, {"error": "no such endpoint"}
