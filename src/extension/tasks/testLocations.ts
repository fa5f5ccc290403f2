// Test locations live in the core (the verify tool for other agents uses them too); re-exported for the panel's code.
export { locateTest, testFilesOf, testName, type TestLocation } from '../../core/verify/testLocations';
