"""A progress line for long tables: rewritten in place at a terminal, one line per table elsewhere."""

STEP = 5000


class Progress:
    def __init__(self, stdout, label, total=None):
        self.stdout, self.label, self.total = stdout, label, total
        self.live = stdout is not None and stdout.isatty()

    def update(self, count):
        if self.live and count % STEP == 0:
            total = f"/{self.total:,}" if self.total else ""
            self.stdout.write(f"\r{self.label}: {count:,}{total} rows", ending="")
            self.stdout.flush()

    def done(self, summary):
        if self.stdout is not None:
            start = "\r" if self.live else ""
            self.stdout.write(f"{start}{self.label}: {summary}")
