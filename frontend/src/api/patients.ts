import * as Patients from '../../wailsjs/go/service/PatientService';
import type { PatientInput, PatientView } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const createPatient = (p: PatientInput) => Patients.Create(p as any) as unknown as Promise<PatientView>;
export const listPatients = (query: string) => Patients.List(query) as unknown as Promise<PatientView[]>;
export const getPatient = (id: number) => Patients.Get(id) as unknown as Promise<PatientView>;
