import { ConfigError, loadConfig, settingNames } from "../../shared/config/config";
import sample from "../../local.settings.sample.json";

const validEnv = (): Record<string, string> => ({ ...sample.Values });

describe("loadConfig", () => {
  it("accepts the sample settings and applies defaults", () => {
    const config = loadConfig(validEnv());
    expect(config.environment).toBe("UAT");
    expect(config.cosmos.database).toBe("gpd");
    expect(config.storage.blobUrl).toBeUndefined();
    expect(config.jobs.batchSize).toBe(100);
  });

  it("lists every problem at once", () => {
    const env = { ...validEnv(), GPD_ENVIRONMENT: "DEV", COSMOS_ENDPOINT: "not a url", JOB_BATCH_SIZE: "0" };
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join("\n");
    expect(problems).toMatch(/GPD_ENVIRONMENT/);
    expect(problems).toMatch(/COSMOS_ENDPOINT/);
    expect(problems).toMatch(/JOB_BATCH_SIZE/);
  });

  it("refuses a schedule that is not a six-field NCRONTAB expression", () => {
    expect(() => loadConfig({ ...validEnv(), EXPIRE_DEBT_POSITIONS_SCHEDULE: "*/5 * * * *" })).toThrow(
      /EXPIRE_DEBT_POSITIONS_SCHEDULE/,
    );
    expect(() => loadConfig({ ...validEnv(), EXPIRE_DEBT_POSITIONS_SCHEDULE: "00:05:00" })).toThrow(ConfigError);
  });

  it("requires exactly one way to reach Blob storage", () => {
    expect(() => loadConfig({ ...validEnv(), STORAGE_CONNECTION_STRING: "" })).toThrow(/STORAGE_CONNECTION_STRING/);
    expect(() => loadConfig({ ...validEnv(), STORAGE_BLOB_URL: "https://acct.blob.core.windows.net" })).toThrow(
      /exactly one/,
    );
  });

  it("names every setting of the sample file, and the sample names every setting", () => {
    // The rest are read by the Functions host (or the local host), not by the app.
    const hostSettings = /^(FUNCTIONS_WORKER_RUNTIME|AzureWebJobsStorage|AzureFunctionsJobHost__\w+|LOCAL_HOST_\w+)$/;
    const sampleNames = Object.keys(sample.Values).filter((n) => !hostSettings.test(n));
    expect([...settingNames].sort()).toEqual(sampleNames.sort());
  });
});
