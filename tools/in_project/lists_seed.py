"""Run by the baked project's Python on PostgreSQL: grows the documents table to the size given.

    lists_seed.py ROWS

The first run adds the people (a superuser "admin" and 20 clerks who see only their own rows) and the
lookups; every run adds documents up to ROWS, each with one review, in SQL (a million rows in about a
minute), then VACUUM ANALYZE as autovacuum would after a bulk load. Document 1 gets 10 reviews: the
detail page the benchmark reads. Titles mix Greek and English words and a number, over ten years of dates.
"""

import sys

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402

CLERKS = 20
WORDS = [
    "Άδεια",
    "Μίσθωση",
    "Σύμβαση",
    "Τιμολόγιο",
    "Απόφαση",
    "Αίτηση",
    "Βεβαίωση",
    "Έγκριση",
    "Πρακτικό",
    "Δήλωση",
    "Έκθεση",
    "Πρόσκληση",
    "Lease",
    "Invoice",
    "Contract",
    "Permit",
    "Report",
    "Minutes",
    "Decision",
    "Request",
    "Certificate",
    "Approval",
    "Notice",
    "Budget",
    "οικοδομική",
    "περιβαλλοντική",
    "δημοτική",
    "σχολική",
    "λιμενική",
    "οδική",
    "ύδρευσης",
    "αποχέτευσης",
    "φωτισμού",
    "πρασίνου",
    "building",
    "environmental",
    "municipal",
    "school",
    "harbour",
    "road",
    "water",
    "sewage",
    "lighting",
    "parks",
]
CATEGORIES = ["Contracts", "Invoices", "Permits", "Decisions", "Reports", "Minutes", "Requests", "Letters"]


def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def add_people_and_lookups():
    password = make_password("benchmark-password")
    people = [("admin", True)] + [(f"clerk{number:02}", False) for number in range(1, CLERKS + 1)]
    for username, superuser in people:
        execute(
            "INSERT INTO users_user (username, password, is_superuser, is_staff, is_active, first_name, last_name,"
            " email, date_joined) VALUES (%s, %s, %s, %s, true, '', '', '', now())",
            [username, password, superuser, superuser],
        )
    for name in CATEGORIES:
        execute("INSERT INTO documents_category (name) VALUES (%s)", [name])
    for name in ["Approver", "Reader"]:
        execute("INSERT INTO documents_reviewrole (name) VALUES (%s)", [name])


def add_documents(first, last):
    execute(
        """
        INSERT INTO documents_document (title, category_id, file, created_by_id, modified_by_id,
                                        created_on, modified_on)
        SELECT title, category, 'protected/documents/2026/01/document.pdf', clerk, clerk, created, created
               + random() * interval '90 days'
        FROM (
            SELECT (%(words)s::text[])[1 + floor(random() * %(word_count)s)::int] || ' '
                   || (%(words)s::text[])[1 + floor(random() * %(word_count)s)::int] || ' ' || number AS title,
                   (SELECT min(id) FROM documents_category) + floor(random() * %(categories)s)::int AS category,
                   (SELECT min(id) FROM users_user WHERE NOT is_superuser) + floor(random() * %(clerks)s)::int
                       AS clerk,
                   now() - interval '10 years' + random() * interval '10 years' AS created
            FROM generate_series(%(first)s, %(last)s) AS number
        ) AS rows
        """,
        {
            "words": WORDS,
            "word_count": len(WORDS),
            "categories": len(CATEGORIES),
            "clerks": CLERKS,
            "first": first,
            "last": last,
        },
    )


def add_reviews():
    """One review for each document that has none, by another clerk; the first document (the detail page
    the benchmark reads) gets 10."""
    execute(
        """
        INSERT INTO documents_review (document_id, reviewer_id, role_id, due_on, created_by_id, modified_by_id,
                                      created_on, modified_on)
        SELECT document.id, reviewer.id, (SELECT min(id) FROM documents_reviewrole),
               current_date + (document.id %% 60)::int, document.created_by_id, document.created_by_id,
               document.created_on, document.created_on
        FROM documents_document AS document
        JOIN LATERAL (
            SELECT id FROM users_user
            WHERE NOT is_superuser AND id <> document.created_by_id
            ORDER BY (id + document.id) %% %(clerks)s
            LIMIT CASE WHEN document.id = (SELECT min(id) FROM documents_document) THEN 10 ELSE 1 END
        ) AS reviewer ON true
        WHERE document.id > (SELECT coalesce(max(document_id), 0) FROM documents_review)
        """,
        {"clerks": CLERKS},
    )


def main(rows):
    if not execute("SELECT count(*) FROM users_user")[0][0]:
        add_people_and_lookups()
    (existing,) = execute("SELECT count(*) FROM documents_document")[0]
    if existing < rows:
        add_documents(existing + 1, rows)
    add_reviews()
    connection.close()
    connection.ensure_connection()
    connection.connection.autocommit = True
    execute("VACUUM ANALYZE")
    print(execute("SELECT count(*) FROM documents_document")[0][0])


if __name__ == "__main__":
    main(int(sys.argv[1]))
