@{
    RootModule           = 'BoxFusion.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '47d16307-b733-4f9d-9169-aa864d14a256'
    Author               = 'BoxFusion developers'
    CompanyName          = 'BoxFusion'
    Copyright            = '(c) BoxFusion developers. MIT License.'
    Description          = 'Ensembles object-detection results in compiled C#: Weighted Boxes Fusion, NMS, Soft-NMS and NMW at ensemble-boxes parity, COCO evaluation at pycocotools parity, and challenge submissions.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # Loaded before the types file, which names types from both assemblies.
    RequiredAssemblies   = @('BoxFusion.Engine.dll', 'BoxFusion.dll')
    TypesToProcess       = @('BoxFusion.Types.ps1xml')
    FormatsToProcess     = @('BoxFusion.Format.ps1xml')
    CmdletsToExport      = @(
        'Import-Detection'
        'Merge-Detection'
        'Export-Submission'
        'Measure-Detection'
        'New-Detection'
        'Optimize-Fusion'
        'Compare-Detection'
        'Export-DetectionImage'
        'Export-PrecisionRecallChart'
    )
    AliasesToExport      = @(
        'Import-Detections'
        'Merge-Detections'
        'Measure-Detections'
        'New-Detections'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('object-detection', 'ensemble', 'wbf', 'nms', 'coco', 'computer-vision')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'First release: Import-Detection, Merge-Detection (WBF, NMS, SoftNMS, NMW), Export-Submission.'
        }
    }
}
