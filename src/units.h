/* units.h - the one unit system of neckmd ("real", as LAMMPS): declared once, used everywhere.
 *
 * Length Angstrom (A), time femtosecond (fs), energy kcal/mol, mass g/mol (amu), charge e,
 * temperature K, pressure atm. Constants and their sources are below; every interface in
 * neckmd states its units in these terms. */
#ifndef NECKMD_UNITS_H
#define NECKMD_UNITS_H

/* Coulomb constant e^2/(4 pi eps0) in kcal*A/(mol*e^2); the value LAMMPS "real" units use
 * (LAMMPS update.cpp, force->qqr2e), so energies compare to the last digits. */
#define UNITS_QQR2E 332.06371

/* Boltzmann constant, kcal/(mol*K); the value of LAMMPS "real" units (CODATA R = 8.31446 J/(mol K) / 4184). */
#define UNITS_KB 0.0019872067

/* m v^2 in amu*A^2/fs^2 to kcal/mol: 1 amu A^2/fs^2 = 1e10*1e-3 J/mol / 4184 = 2390.057 kcal/mol
 * (written as 48.88821291^2, as LAMMPS real units do, so kinetic energies agree to the last digit).
 * MVV2E is this factor; FTM2V converts force/mass (kcal/mol/A/amu) to A/fs^2. */
#define UNITS_MVV2E (48.88821291 * 48.88821291)
#define UNITS_FTM2V (1.0 / UNITS_MVV2E)

/* Pressure from kcal/(mol*A^3) to atm: 4184 J / 6.02214076e23 / 1e-30 m^3 / 101325 Pa. */
#define UNITS_NKTV2P 68568.415
/* 1 eV in kcal/mol (CODATA: 96.485332 kJ/mol / 4.184). */
#define UNITS_EV 23.060547830619
/* Density: amu/A^3 to g/cm^3 (1/N_A * 1e24). */
#define UNITS_AMUA3_TO_GCM3 1.66053906660

#define UNITS_PI 3.14159265358979323846

#endif
