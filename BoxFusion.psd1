@{
    RootModule           = 'BoxFusion.dll'
    ModuleVersion        = '0.2.0'
    GUID                 = '47d16307-b733-4f9d-9169-aa864d14a256'
    Author               = 'BoxFusion developers'
    CompanyName          = 'BoxFusion'
    Copyright            = '(c) 2026 BoxFusion developers. MIT License.'
    Description          = 'Ensembles object-detection results in compiled C#: Weighted Boxes Fusion, NMS, Soft-NMS and NMW at ensemble-boxes parity, COCO evaluation at pycocotools parity, and challenge submissions.'
    # 7.6 is the first PowerShell on .NET 10, whose System.Text.Json (assembly 10.0.0.0) the engine is built against;
    # an older PowerShell cannot load it. Import-Module checks this before it loads the engine, and names the version.
    # Windows PowerShell 5.1 is not supported (never tested, and not expected to load the .NET Standard dependencies).
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
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
            # PSCommand_ tags are what Find-PSResource -CommandName matches in a local repository (the gallery adds its own).
            Tags         = @(
                'ObjectDetection', 'COCO', 'WBF', 'NMS', 'Ensemble', 'ComputerVision'
                'Linux', 'Windows', 'MacOS', 'PSEdition_Core'
                'PSCommand_Import-Detection', 'PSCommand_Merge-Detection', 'PSCommand_Export-Submission'
                'PSCommand_Measure-Detection', 'PSCommand_New-Detection', 'PSCommand_Optimize-Fusion'
                'PSCommand_Compare-Detection', 'PSCommand_Export-DetectionImage', 'PSCommand_Export-PrecisionRecallChart'
            )
            ProjectUri   = 'https://github.com/boxfusion/BoxFusion'
            LicenseUri   = 'https://github.com/boxfusion/BoxFusion/blob/main/LICENSE'
            # The newest entry of CHANGELOG.md (a test checks that both name every exported cmdlet).
            ReleaseNotes = @'
0.2.0: the first release for the PowerShell Gallery; needs PowerShell 7.6 or later.
- Import-Detection: COCO result files (streamed, with an error record for every bad file or record) and YOLO txt predictions.
- Merge-Detection: WBF, NMS, Soft-NMS and NMW with ensemble-boxes 1.0.9's numbers, minus its known bugs; weights per model, voting, class-agnostic fusion, clipping to image sizes.
- Measure-Detection: COCO bbox evaluation with pycocotools' numbers, per model or per category.
- Optimize-Fusion: searches method, thresholds and per-model weights for the best AP on a validation set.
- Export-Submission: COCO result lists and challenge zip files, written safely.
- New-Detection: detections from any objects (CSV rows, other tools' output).
- Compare-Detection: per image, true positives, false positives (with the reason) and missed boxes by COCO's matching rule.
- Export-DetectionImage and Export-PrecisionRecallChart: detections drawn on the images, precision-recall charts (SkiaSharp, ScottPlot).
See CHANGELOG.md for the full list.
'@
        }
    }
}
