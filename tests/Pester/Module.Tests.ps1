BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The built module' {
    It 'imports in a new pwsh by path and lists its cmdlets and aliases' {
        $pwsh = @(Get-PwshCommandLine)
        $names = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; (Get-Command -Module BoxFusion).Name -join ','"
        $LASTEXITCODE | Should -Be 0
        $list = "$names" -split ','
        foreach ($name in 'Import-Detection', 'Merge-Detection', 'Export-Submission', 'Import-Detections', 'Merge-Detections') {
            $list | Should -Contain $name
        }
    }

    It 'exports every alias it declares, so auto-loading finds them' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'BoxFusion.psd1')
        Import-ModuleUnderTest
        $module = Get-Module BoxFusion
        foreach ($alias in $module.ExportedAliases.Keys) { $manifest.AliasesToExport | Should -Contain $alias }
        foreach ($cmdlet in $module.ExportedCmdlets.Keys) { $manifest.CmdletsToExport | Should -Contain $cmdlet }
    }
}
