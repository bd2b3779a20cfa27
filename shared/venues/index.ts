/** Pure rules of the venues area (安家场地). See README.md beside this file for the time model. */
export * from './time';
export * from './recurrence';
export * from './rules';
export * from './state';
export * from './ics';
export * from './utilization';
