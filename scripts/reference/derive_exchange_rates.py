#!/usr/bin/env python3
"""Derives conf/reference/exchange-rates.csv from the ECB euro foreign exchange reference rates.

Usage: derive_exchange_rates.py <eurofxref-hist.csv> <first day> <last day> <currency>... > exchange-rates.csv

The ECB publishes, for each TARGET working day, how many units of each currency one euro buys
(eurofxref-hist.csv: Date,USD,JPY,...,CNY,...,INR,...). The rate of a currency to CNY is the cross
rate through the euro: CNY per unit = (CNY per EUR) / (units per EUR); for EUR itself it is CNY per
EUR. Values are rounded to 6 significant digits (the ECB's own figures have 5 to 6). A day on which
the ECB quoted no CNY or not the currency (N/A) is left out.
"""
import csv
import sys
from decimal import Decimal, ROUND_HALF_EVEN, Context


def significant(value, digits=6):
    return Context(prec=digits, rounding=ROUND_HALF_EVEN).plus(value)


def main(path, first, last, currencies):
    with open(path, newline='', encoding='utf-8') as f:
        rows = [r for r in csv.DictReader(f)]
    out = []
    for row in rows:
        day = row['Date'].strip()
        if not first <= day <= last:
            continue
        cny = row.get('CNY', 'N/A').strip()
        if cny in ('', 'N/A'):
            continue
        for code in currencies:
            if code == 'EUR':
                out.append((day, code, significant(Decimal(cny))))
                continue
            units = row.get(code, 'N/A').strip()
            if units in ('', 'N/A'):
                continue
            out.append((day, code, significant(Decimal(cny) / Decimal(units))))
    out.sort()
    w = sys.stdout
    w.write('date,currency,cny_per_unit\n')
    for day, code, rate in out:
        w.write(f'{day},{code},{format(rate, "f")}\n')


if __name__ == '__main__':
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
