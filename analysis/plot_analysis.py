#!/usr/bin/python3
"""plot_analysis.py - PNG panels like the paper's figures from a `neckmd analyze` CSV.

usage: /usr/bin/python3 analysis/plot_analysis.py OUT.csv [-o PREFIX] [--title TEXT]

Writes PREFIX_gap.png (surface-to-surface gap vs time, each NC pair), PREFIX_neck.png (neck
width and length vs time), PREFIX_misalign.png (misalignment angle vs time),
PREFIX_angles.png (superlattice angles vs time), PREFIX_dipole.png (NC dipole moments) and
PREFIX_ligands.png (ligand atoms in each gap). PREFIX defaults to the CSV path without
".csv". The numbers all come from the CSV (computed in C by neckmd analyze); this script only
draws them. Needs Debian's python3-matplotlib (scripts/install-deps.sh).
"""
import argparse
import csv
import math
import re
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit('plot_analysis: %s has no frames' % path)
    cols = {k: [float(r[k]) if r[k] not in ('', 'nan', '-nan') else math.nan for r in rows] for k in rows[0]}
    return cols


def pairs_of(cols):
    """NC pairs 'a_b' in column order"""
    out = []
    for k in cols:
        m = re.match(r'gap_(\d+_\d+)_A$', k)
        if m:
            out.append(m.group(1))
    return out


def time_axis(cols):
    t = cols['time_ps']
    return t, 'time (ps)'


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print('plot_analysis: wrote %s' % path)


def no_data(ax, text):
    ax.text(0.5, 0.5, text, ha='center', va='center', transform=ax.transAxes)


def plot_all(cols, prefix, title):
    t, tl = time_axis(cols)
    pairs = pairs_of(cols)
    lab = lambda p: 'NC ' + p.replace('_', '-')  # noqa: E731

    fig, ax = plt.subplots(figsize=(6, 4))
    for p in pairs:
        ax.plot(t, cols['gap_%s_A' % p], marker='.', label=lab(p))
    ax.axhline(9.2, color='grey', ls=':', lw=1)
    ax.text(t[0], 9.2, ' arrest gap 0.6 nm + d200 (paper)', color='grey', va='bottom', fontsize=8)
    ax.set_xlabel(tl)
    ax.set_ylabel('gap between facing atomic planes (A)')
    if pairs:
        ax.legend(fontsize=8)
    else:
        no_data(ax, 'one NC: no pairs')
    ax.set_title(title + 'surface-to-surface gap')
    save(fig, prefix + '_gap.png')

    fig, (a1, a2) = plt.subplots(2, 1, figsize=(6, 6), sharex=True)
    for p in pairs:
        a1.plot(t, [w / 10 for w in cols['neck_width_%s_A' % p]], marker='.', label=lab(p) + ' width 2 sqrt(A/pi)')
        a1.plot(t, [w / 10 for w in cols['neck_side_%s_A' % p]], ls='--', label=lab(p) + ' side sqrt(A)')
        a2.plot(t, cols['neck_len_%s_layers' % p], marker='.', label=lab(p))
        a2.plot(t, cols['bridges_%s' % p], ls=':', label=lab(p) + ' bridges (count)')
    a1.axhline(0.9, color='grey', ls=':', lw=1)
    a1.set_ylabel('neck width (nm)')
    a2.set_ylabel('neck length ({200} layers)')
    a2.set_xlabel(tl)
    if pairs:
        a1.legend(fontsize=7)
        a2.legend(fontsize=7)
    a1.set_title(title + 'neck (critical nucleus 0.9 nm wide, 2 layers long)')
    save(fig, prefix + '_neck.png')

    fig, ax = plt.subplots(figsize=(6, 4))
    for p in pairs:
        ax.plot(t, cols['misalign_%s_deg' % p], marker='.', label=lab(p))
    ax.set_xlabel(tl)
    ax.set_ylabel('misalignment of <100> axes (deg)')
    if pairs:
        ax.legend(fontsize=8)
    ax.set_title(title + 'NC misalignment')
    save(fig, prefix + '_misalign.png')

    fig, ax = plt.subplots(figsize=(6, 4))
    angles = [k for k in cols if k.startswith('angle_')]
    for k in angles:
        m = re.match(r'angle_(\d+)_(\d+)_(\d+)_deg', k)
        ax.plot(t, cols[k], marker='.', label='%s-%s-%s' % m.groups())
    for ref in (60, 90, 120):
        ax.axhline(ref, color='grey', ls=':', lw=1)
    ax.set_xlabel(tl)
    ax.set_ylabel('angle between centre-centre vectors (deg)')
    if angles:
        ax.legend(fontsize=7, ncol=2)
    else:
        no_data(ax, 'fewer than 3 neighbouring NCs: no superlattice angles')
    ax.set_title(title + 'superlattice angles (60 hexagonal, 90 square)')
    save(fig, prefix + '_angles.png')

    fig, ax = plt.subplots(figsize=(6, 4))
    ncs = sorted({int(m.group(1)) for k in cols for m in [re.match(r'nc(\d+)_p_D$', k)] if m})
    for c in ncs:
        ax.plot(t, cols['nc%d_p_D' % c], marker='.', label='NC %d' % c)
    ax.set_xlabel(tl)
    ax.set_ylabel('|dipole moment| (D)')
    ax.legend(fontsize=8)
    ax.set_title(title + 'NC dipole moments')
    save(fig, prefix + '_dipole.png')

    fig, ax = plt.subplots(figsize=(6, 4))
    for p in pairs:
        ax.plot(t, cols['lig_atoms_%s' % p], marker='.', label=lab(p))
    ax.set_xlabel(tl)
    ax.set_ylabel('ligand atoms in the gap')
    if pairs:
        ax.legend(fontsize=8)
    ax.set_title(title + 'ligands between the facing facets')
    save(fig, prefix + '_ligands.png')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('csv')
    ap.add_argument('-o', '--prefix')
    ap.add_argument('--title', default='')
    a = ap.parse_args()
    prefix = a.prefix or re.sub(r'\.csv$', '', a.csv)
    plot_all(read_csv(a.csv), prefix, a.title + ': ' if a.title else '')


if __name__ == '__main__':
    main()
