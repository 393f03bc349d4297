#!/usr/bin/python3
"""compare_runs.py - two `neckmd analyze` CSVs side by side (e.g. EG vs EDA) in one PNG.

usage: /usr/bin/python3 analysis/compare_runs.py A.csv B.csv [--labels EG EDA] [-o compare.png]

One column per run, one row per quantity - gap between the facing planes, neck width, neck
length, misalignment, ligand atoms in the gap - with shared y axes, so the two scenarios read
across at a glance; NC pairs are drawn as separate lines. A summary (last-frame values of each
pair) is printed. Needs Debian's python3-matplotlib.
"""
import argparse
import os
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_analysis import pairs_of, read_csv  # noqa: E402

ROWS = [('gap_%s_A', 'gap (A)'), ('neck_width_%s_A', 'neck width (A)'), ('neck_len_%s_layers', 'neck length (layers)'),
        ('misalign_%s_deg', 'misalignment (deg)'), ('lig_atoms_%s', 'ligand atoms in gap')]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('a')
    ap.add_argument('b')
    ap.add_argument('--labels', nargs=2, metavar=('LABEL_A', 'LABEL_B'))
    ap.add_argument('-o', '--out', default='compare.png')
    args = ap.parse_args()
    labels = args.labels or [os.path.splitext(os.path.basename(p))[0] for p in (args.a, args.b)]
    runs = [read_csv(args.a), read_csv(args.b)]
    fig, axes = plt.subplots(len(ROWS), 2, figsize=(10, 2.3 * len(ROWS)), sharex='col', sharey='row', squeeze=False)
    for c, (cols, lab) in enumerate(zip(runs, labels)):
        t = cols['time_ps']
        pairs = pairs_of(cols)
        for r, (key, ylabel) in enumerate(ROWS):
            ax = axes[r][c]
            for p in pairs:
                ax.plot(t, cols[key % p], marker='.', ms=3, label='NC ' + p.replace('_', '-'))
            if c == 0:
                ax.set_ylabel(ylabel)
            if r == 0:
                ax.set_title(lab)
                if pairs:
                    ax.legend(fontsize=7)
            if r == len(ROWS) - 1:
                ax.set_xlabel('time (ps)')
        for p in pairs:
            print('compare_runs: %s NC %s: last frame gap %.3f A, neck width %.2f A, length %.2f layers, misalignment %.2f deg, '
                  '%d ligand atoms in the gap' % (lab, p.replace('_', '-'), cols['gap_%s_A' % p][-1], cols['neck_width_%s_A' % p][-1],
                                                  cols['neck_len_%s_layers' % p][-1], cols['misalign_%s_deg' % p][-1],
                                                  cols['lig_atoms_%s' % p][-1]))
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    print('compare_runs: wrote %s' % args.out)


if __name__ == '__main__':
    main()
