"""Where this installation keeps its files, and site-level records.

Below every service layer and above the pure engine: it touches the file
system but knows nothing of Qt, databases or HTTP.

Known errors name the file and, for settings, the section and key::

    kiosk.errors.KnownError
    └── SiteError                 (kiosk.site.errors)
        ├── SettingsError         tablet.toml or clinic.toml has a value the product
        │                         cannot use, or cannot be read (kiosk.site.tomlfile)
        └── LicenceRegisterError  the licence register cannot be read or written, or a
                                  licence reference is unusable (kiosk.site.licences)
"""
