export type ReactNode = unknown
