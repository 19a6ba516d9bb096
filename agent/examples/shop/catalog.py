# SPDX-License-Identifier: GPL-3.0-or-later
"""The shop's data: an in-memory SQLite database seeded deterministically,
so every run (and every test) sees the same products and customers."""

import random
import sqlite3
import threading

CATEGORIES = ("books", "garden", "kitchen", "music", "outdoor", "toys")
ADJECTIVES = ("compact", "classic", "deluxe", "eco", "heavy-duty", "mini", "smart", "vintage")
NOUNS = ("lamp", "kettle", "trowel", "tent", "guitar", "puzzle", "novel", "grill", "drone", "mug")


class Catalog:
    """A thread-safe facade over one SQLite connection (the example favours
    clarity over throughput; a lock around a single connection is enough)."""

    def __init__(self, products=500, customers=200, seed=42):
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self._create()
        self._seed(products, customers, seed)

    def _create(self):
        self._db.executescript("""
            CREATE TABLE products (
                id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
                price_cents INTEGER NOT NULL, stock INTEGER NOT NULL, rating REAL NOT NULL,
                tags TEXT NOT NULL);
            CREATE INDEX products_category ON products (category);
            CREATE TABLE customers (
                id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL,
                tier TEXT NOT NULL, api_token TEXT NOT NULL);
            CREATE TABLE orders (
                id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id INTEGER NOT NULL,
                total_cents INTEGER NOT NULL, created REAL NOT NULL, lines TEXT NOT NULL);
        """)

    def _seed(self, products, customers, seed):
        rng = random.Random(seed)
        rows = []
        for pid in range(1, products + 1):
            name = "%s %s" % (rng.choice(ADJECTIVES), rng.choice(NOUNS))
            tags = ",".join(sorted(rng.sample(ADJECTIVES, 3)))
            rows.append((pid, name, rng.choice(CATEGORIES), rng.randint(199, 49999),
                         rng.randint(0, 300), round(rng.uniform(1, 5), 2), tags))
        self._db.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        people = []
        for cid in range(1, customers + 1):
            tier = rng.choices(("basic", "silver", "gold"), weights=(6, 3, 1))[0]
            people.append((cid, "Customer %d" % cid, "c%d@example.org" % cid, tier,
                           "tok_%016x" % rng.getrandbits(64)))
        self._db.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?)", people)
        self._db.commit()

    def close(self):
        with self._lock:
            self._db.close()

    def _query(self, sql, args=()):
        with self._lock:
            return [dict(row) for row in self._db.execute(sql, args).fetchall()]

    def products(self, category=None, search=None):
        sql = "SELECT * FROM products"
        clauses, args = [], []
        if category:
            clauses.append("category = ?")
            args.append(category)
        if search:
            clauses.append("name LIKE ?")
            args.append("%" + search.replace("%", "") + "%")
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return self._query(sql, args)

    def product(self, product_id):
        rows = self._query("SELECT * FROM products WHERE id = ?", (product_id,))
        return rows[0] if rows else None

    def customer(self, customer_id):
        rows = self._query("SELECT * FROM customers WHERE id = ?", (customer_id,))
        return rows[0] if rows else None

    def add_order(self, customer_id, total_cents, created, lines_json):
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO orders (customer_id, total_cents, created, lines) VALUES (?, ?, ?, ?)",
                (customer_id, total_cents, created, lines_json))
            self._db.commit()
            return cur.lastrowid

    def order(self, order_id):
        rows = self._query("SELECT * FROM orders WHERE id = ?", (order_id,))
        return rows[0] if rows else None
