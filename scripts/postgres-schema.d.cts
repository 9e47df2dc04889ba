export declare const postgresSchemaPath: string;
export declare function toPostgresSchema(text: string): string;
export declare function writePostgresSchema(): void;
