export interface Config {
  aiGateway?: {
    permissions?: {
      /**
       * Entity refs (groups or users) of platform admins, who may manage every
       * project. Read by the suite's permission policy module.
       */
      admins?: string[];
    };
  };
}
