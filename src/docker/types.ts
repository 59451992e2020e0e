/** The parts of Docker Engine API responses that Ringfence reads. */

export interface DockerMount {
  Type: string;
  Source: string;
  Destination: string;
  Mode?: string;
  RW: boolean;
  Propagation?: string;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  Created?: string;
  State: {
    Status: string;
    Running: boolean;
    Pid: number;
    StartedAt?: string;
    Health?: { Status: string };
  };
  Config: {
    User?: string;
    Image: string;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    Healthcheck?: { Test?: string[] } | null;
    ExposedPorts?: Record<string, object> | null;
  };
  HostConfig: {
    Privileged?: boolean;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    NetworkMode?: string;
    PidMode?: string;
    IpcMode?: string;
    UTSMode?: string;
    UsernsMode?: string;
    ReadonlyRootfs?: boolean;
    SecurityOpt?: string[] | null;
    Memory?: number;
    NanoCpus?: number;
    CpuShares?: number;
    CpuQuota?: number;
    CpusetCpus?: string;
    PidsLimit?: number | null;
    RestartPolicy?: { Name: string; MaximumRetryCount: number };
    Devices?: { PathOnHost: string; PathInContainer: string }[] | null;
    Ulimits?: { Name: string }[] | null;
    CgroupParent?: string;
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
  };
  AppArmorProfile?: string;
  GraphDriver?: { Name?: string; Data?: Record<string, string> | null };
  Mounts: DockerMount[];
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

export interface ImageInspect {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Architecture?: string;
  Variant?: string;
  Os?: string;
  Config?: {
    User?: string;
    Env?: string[] | null;
    Healthcheck?: { Test?: string[] } | null;
    Labels?: Record<string, string> | null;
  } | null;
}

export interface ImageHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
}

export interface DockerInfo {
  ID?: string;
  Name?: string;
  ServerVersion?: string;
  Driver?: string;
  LoggingDriver?: string;
  CgroupDriver?: string;
  LiveRestoreEnabled?: boolean;
  ExperimentalBuild?: boolean;
  SecurityOptions?: string[] | null;
  Plugins?: { Authorization?: string[] | null };
  RegistryConfig?: {
    InsecureRegistryCIDRs?: string[] | null;
    IndexConfigs?: Record<string, { Name: string; Secure: boolean }>;
  };
  Swarm?: { LocalNodeState?: string };
  DockerRootDir?: string;
}
