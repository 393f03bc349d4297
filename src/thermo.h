/* thermo.h - thermodynamic output: screen table, CSV file, run summary. */
#ifndef NECKMD_THERMO_H
#define NECKMD_THERMO_H
#include <stdint.h>
typedef struct Sim Sim;

/* One row of thermodynamic state (global values). */
typedef struct ThermoRow {
    int64_t step;
    double time_fs;     /* fs */
    double temp;        /* K */
    double pe, ke, etotal, evdwl, ecoul, elong;  /* kcal/mol */
    double ebond, eangle, edihed, eimp;          /* kcal/mol */
    double erestr;                               /* kcal/mol: restraints (part of pe) */
    double econserve;   /* kcal/mol: etotal plus thermostat energy plus (barostat) P0 V and the
                           barostat's accumulated work and heat, minus the work of moving
                           restraint targets (constant in NVE/NVT/NPT) */
    double press;       /* atm */
    double vol;         /* A^3 */
    double pxx, pyy, pzz; /* atm: diagonal of the pressure tensor (2 K_aa + W_aa)/V */
    double lx, ly, lz;  /* A: box edges */
} ThermoRow;

/* Kinetic energy (kcal/mol, global) of the owned atoms' velocities. Collective. */
double thermo_ke(Sim *sim);
/* Degrees of freedom used for the temperature (3N - 3). */
double thermo_dof(const Sim *sim);
/* Diagonal of the pressure tensor, p[a] = (2 K_aa + W_aa) / V in atm (K_aa = sum m v_a^2 / 2
 * of the owned atoms' velocities, W the full virial of the last force evaluation including
 * constraints). Collective. */
void thermo_pressure_diag(Sim *sim, double p[3]);
/* Evaluate the current row (forces must be current). Collective. */
ThermoRow thermo_row(Sim *sim);
/* Print the table header on screen and open the CSV file if one is set (rank 0). */
void thermo_header(Sim *sim);
/* Print row on screen and to the CSV file (rank 0); keep it for the run record. */
void thermo_print(Sim *sim, const ThermoRow *row);
/* Rows kept for the record of the current run. */
int thermo_nrows(const Sim *sim);
const ThermoRow *thermo_rows(const Sim *sim);
void thermo_clear(Sim *sim);

#endif
